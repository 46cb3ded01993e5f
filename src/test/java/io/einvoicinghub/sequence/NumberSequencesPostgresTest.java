package io.einvoicinghub.sequence;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Number sequences on PostgreSQL (the production database), as two hub instances would use them: each its own
 * connection, many workers at once, then a "restart" (a new instance). No number twice, none skipped, and a step
 * that asks again gets the number it took before.
 */
class NumberSequencesPostgresTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String SCHEMA = "hub_seq_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @BeforeAll
    static void migrate() {
        Flyway.configure().dataSource(dataSource()).schemas(SCHEMA).createSchemas(true).load().migrate();
    }

    @AfterAll
    static void dropSchema() {
        new JdbcTemplate(new DriverManagerDataSource(URL, "postgres", "")).execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    private static DriverManagerDataSource dataSource() {
        return new DriverManagerDataSource(URL + "?currentSchema=" + SCHEMA, "postgres", "");
    }

    /** One hub instance's view: its own data source and transactions. */
    private static NumberSequences instance() {
        DriverManagerDataSource ds = dataSource();
        return new NumberSequences(new JdbcTemplate(ds), new TransactionTemplate(new DataSourceTransactionManager(ds)));
    }

    @Test
    void concurrentTakersOnTwoInstancesGetEveryNumberOnceAndARepeatedStepItsOwnNumber() throws Exception {
        List<NumberSequences> instances = List.of(instance(), instance());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            NumberSequences sequences = instances.get(t % 2);
            int worker = t;
            results.add(pool.submit((Callable<List<Long>>) () -> {
                List<Long> taken = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    taken.add(sequences.next("PL01", "invoices", "sub-" + worker + "-" + i, 1, "number"));
                }
                return taken;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> r : results) {
            all.addAll(r.get());
        }
        pool.shutdown();

        assertThat(all).hasSize(320).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(all)).isEqualTo(LongStream.rangeClosed(1, 320).boxed().collect(Collectors.toCollection(TreeSet::new)));
        // the same step of the same run asks again (retry, resume after a crash): the same number
        long first = instances.get(1).next("PL01", "invoices", "sub-3-7", 1, "number");
        assertThat(all).contains(first);
        assertThat(instances.get(0).next("PL01", "invoices", "sub-3-7", 1, "number")).isEqualTo(first);
        // another legal entity has its own sequence; a restarted instance goes on where the sequence stood
        assertThat(instances.get(0).next("PL02", "invoices", "sub-x", 1, "number")).isEqualTo(1);
        NumberSequences restarted = instance();
        assertThat(restarted.next("PL01", "invoices", "sub-after-restart", 1, "number")).isEqualTo(321);
        assertThat(restarted.current("PL01", "invoices")).isEqualTo(321);
    }
}
