package io.einvoicinghub.api;

import io.einvoicinghub.storage.ArtifactStore;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Health of the artifact store, by asking it for a key: DOWN when the backend fails or does not answer within a
 * few seconds (an unreachable Azure endpoint would otherwise hold the check as long as the client retries).
 */
@Component("storage")
public class StorageHealthIndicator extends AbstractHealthIndicator {

    private static final long TIMEOUT_SECONDS = 5;
    private static final String PROBE_KEY = "health-probe.txt";

    private final ArtifactStore store;

    public StorageHealthIndicator(ArtifactStore store) {
        super("Storage health check failed");
        this.store = store;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        builder.withDetail("backend", store.backendName());
        CompletableFuture<Boolean> probe = CompletableFuture.supplyAsync(() -> store.exists(PROBE_KEY));
        try {
            probe.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            builder.up();
        } catch (TimeoutException e) {
            probe.cancel(true);
            builder.down().withDetail("reason", "no answer within " + TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            builder.down().withDetail("reason", e.getCause() == null ? "failed" : e.getCause().getClass().getSimpleName());
        }
    }
}
