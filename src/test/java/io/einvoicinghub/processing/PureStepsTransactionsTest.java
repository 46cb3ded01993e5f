package io.einvoicinghub.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.testsupport.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pipeline of steps that change nothing outside the hub (transform, validate) writes its log in the run's
 * last transaction: the worker commits twice per document — the claim and the end — however many such steps
 * the feature has, and the ERP still reads every step, file and finding.
 */
@Import(PureStepsTransactionsTest.CountingDataSource.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class PureStepsTransactionsTest extends HubIntegrationTest {

    /** A context of its own (the counting data source): its own database and broker journal, which one process locks. */
    @DynamicPropertySource
    static void ownDataDir(DynamicPropertyRegistry registry) throws IOException {
        Path root = Files.createTempDirectory("hub-pure-steps-");
        registry.add("hub.data-dir", () -> root.resolve("data").toString());
        registry.add("spring.artemis.embedded.data-directory", () -> root.resolve("data/broker").toString());
    }

    /** Database transactions the queue's workers made: commits, and writes outside a transaction (autocommit). */
    static final List<String> WORKER_TRANSACTIONS = java.util.Collections.synchronizedList(new ArrayList<>());

    @Test
    void aTwoStepPurePipelineCommitsOnlyItsClaimAndItsEnd() {
        ObjectNode submission = sample("valid/02-standard-and-reduced-rates.json");
        ((ObjectNode) submission.get("context")).put("erpDocumentId", "PURE-" + UUID.randomUUID());
        WORKER_TRANSACTIONS.clear();
        String id = json(post("/api/v1/submissions", text(submission))).path("id").asText();

        JsonNode done = awaitTerminal(id);

        assertThat(done.path("status").asText()).isEqualTo("Completed");
        // before the rows of pure steps waited for the run's end: claim, transform's checkpoint, validate's, end = 4
        assertThat(WORKER_TRANSACTIONS).as("worker transactions").hasSize(2);
        List<String> steps = StreamSupport.stream(done.path("steps").spliterator(), false)
                .map(s -> s.path("name").asText() + ":" + s.path("status").asText()).toList();
        assertThat(steps).containsExactly("transform:Succeeded", "validate:Succeeded");
        for (JsonNode step : done.path("steps")) {
            assertThat(step.path("startedAt").asText()).isNotEmpty();
            assertThat(step.path("finishedAt").asText()).isNotEmpty();
        }
        // each line keeps the time its step ended, not the time the run's end wrote it
        OffsetDateTime transformEnded = OffsetDateTime.parse(done.path("steps").get(0).path("finishedAt").asText());
        OffsetDateTime validateStarted = OffsetDateTime.parse(done.path("steps").get(1).path("startedAt").asText());
        assertThat(transformEnded).isBeforeOrEqualTo(validateStarted);
        List<String> kinds = StreamSupport.stream(done.path("artifacts").spliterator(), false)
                .map(a -> a.path("kind").asText()).toList();
        assertThat(kinds).contains("output");
        assertThat(done.path("artifacts").size()).isGreaterThanOrEqualTo(4); // 2 inputs, the UBL, the validation report
        assertThat(StreamSupport.stream(done.path("history").spliterator(), false).map(h -> h.path("to").asText()))
                .containsExactly("Scheduled", "Executing", "Completed");
    }

    @Test
    void blockingFindingsOfADeferredStepReachTheLogWithTheFailure() {
        ObjectNode submission = sample("valid/02-standard-and-reduced-rates.json");
        ((ObjectNode) submission.get("context")).put("erpDocumentId", "PURE-BAD-" + UUID.randomUUID());
        // the unified schema lets the buyer reference out; XRechnung requires it (BR-DE-15): a blocking finding
        ((ObjectNode) submission.get("document")).remove("buyerReference");
        String id = json(post("/api/v1/submissions", text(submission))).path("id").asText();

        JsonNode done = awaitTerminal(id);

        assertThat(done.path("status").asText()).isEqualTo("Failed");
        assertThat(done.path("statusMessage").asText()).startsWith("Validation failed with");
        assertThat(StreamSupport.stream(done.path("findings").spliterator(), false).map(f -> f.path("ruleId").asText()))
                .contains("BR-DE-15");
        assertThat(StreamSupport.stream(done.path("steps").spliterator(), false).map(s -> s.path("name").asText()))
                .containsExactly("transform", "validate");
    }

    @TestConfiguration
    static class CountingDataSource {
        @Bean
        static BeanPostProcessor countWorkerTransactions() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof DataSource ds ? counting(ds) : bean;
                }
            };
        }

        private static DataSource counting(DataSource target) {
            return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[]{DataSource.class},
                    (proxy, method, args) -> {
                        Object result = invoke(method, target, args);
                        return result instanceof Connection c ? connection(c) : result;
                    });
        }

        private static Connection connection(Connection target) {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("commit")) {
                            record("commit");
                        }
                        Object result = invoke(method, target, args);
                        if (result instanceof PreparedStatement ps && args != null && args[0] instanceof String sql) {
                            return statement(ps, PreparedStatement.class, target, sql);
                        }
                        return result;
                    });
        }

        private static Object statement(Statement target, Class<?> type, Connection connection, String sql) {
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
                if (method.getName().startsWith("execute") && connection.getAutoCommit() && writes(sql)) {
                    record("autocommit " + sql);
                }
                return invoke(method, target, args);
            });
        }

        private static boolean writes(String sql) {
            String verb = sql.strip().toUpperCase(Locale.ROOT);
            return verb.startsWith("INSERT") || verb.startsWith("UPDATE") || verb.startsWith("DELETE") || verb.startsWith("MERGE");
        }

        private static void record(String what) {
            if (Thread.currentThread().getName().contains("JmsConsumer")) {
                WORKER_TRANSACTIONS.add(what);
            }
        }

        private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
