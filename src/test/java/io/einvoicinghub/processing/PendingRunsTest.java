package io.einvoicinghub.processing;

import io.einvoicinghub.HubProperties;
import io.einvoicinghub.submission.SubmissionRepository;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The Pending poller's claim loop: how many due runs one tick hands to the resume route (concurrency 2: room 8). */
class PendingRunsTest {

    private static final long TICK_MILLIS = 1000;

    private final SubmissionRepository repository = mock(SubmissionRepository.class);
    private final ProducerTemplate producer = mock(ProducerTemplate.class);
    private final HubProperties properties = new HubProperties(null, null, null, "node-a", null,
            new HubProperties.Processing("q", 2, 300, 30, 120, TICK_MILLIS, 0.2), null);
    private final ActiveRuns activeRuns = new ActiveRuns(repository, properties);
    private final PendingRuns pendingRuns = new PendingRuns(repository, activeRuns, properties, producer);
    private final List<Map.Entry<String, Integer>> due = new ArrayList<>();

    PendingRunsTest() {
        for (int i = 0; i < 50; i++) {
            due.add(Map.entry("s" + i, 1));
        }
        // the due runs, oldest first, minus those claimed already
        when(repository.duePending(anyInt())).thenAnswer(call -> {
            synchronized (due) {
                return List.copyOf(due.subList(0, Math.min(due.size(), (int) call.getArgument(0))));
            }
        });
        when(repository.claimPending(anyString(), anyInt(), eq("node-a"), any())).thenAnswer(call -> {
            synchronized (due) {
                return due.remove(Map.entry((String) call.getArgument(0), (Integer) call.getArgument(1)));
            }
        });
    }

    @Test
    void oneTickClaimsBatchAfterBatchWhileTheResumeRouteTakesThem() throws Exception {
        // the resume route takes each handed-over run a moment later (and the run ends at once)
        doAnswer(call -> CompletableFuture.runAsync(pendingRuns::taken,
                CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS))).when(producer).sendBody(anyString(), any());

        long start = System.nanoTime();
        int claimed = pendingRuns.claimDue();

        assertThat(claimed).as("all 50 due runs in one tick, not one batch of 8").isEqualTo(50);
        assertThat(due).isEmpty();
        assertThat((System.nanoTime() - start) / 1_000_000).as("returns once nothing more is due").isLessThan(TICK_MILLIS);
    }

    @Test
    void withoutRoomTheTickEndsAfterItsPeriodWithOneBatchClaimed() throws Exception {
        // the resume route is stuck: nothing handed over is taken, so no room frees
        long start = System.nanoTime();
        int claimed = pendingRuns.claimDue();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(claimed).as("no more than the room, concurrency * 4").isEqualTo(8);
        assertThat(due).hasSize(42);
        assertThat(tookMillis).as("waits for room for one tick, then gives the timer back")
                .isGreaterThanOrEqualTo(TICK_MILLIS - 50).isLessThan(TICK_MILLIS + 500);
        assertThat(pendingRuns.claimDue()).as("the next tick: still no room").isZero();
    }
}
