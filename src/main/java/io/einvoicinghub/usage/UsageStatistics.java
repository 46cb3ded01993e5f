package io.einvoicinghub.usage;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Usage over a time window, read from the submissions table: documents per day or week by legal entity,
 * feature and status, the failure rate, the most frequent blocking rule ids and the processing time
 * (acceptance to the end of the latest run) at p50/p95. Days and weeks are UTC; weeks start on Monday.
 */
@Repository
public class UsageStatistics {

    public enum Bucket { day, week }

    /** {@code visibleLegalEntities} limits the statistics to the caller's legal entities (null: all of them). */
    public record Query(OffsetDateTime from, OffsetDateTime to, Bucket bucket, String legalEntity, String featureId,
                        Set<String> visibleLegalEntities) {

        public Query(OffsetDateTime from, OffsetDateTime to, Bucket bucket, String legalEntity, String featureId) {
            this(from, to, bucket, legalEntity, featureId, null);
        }
    }

    /** One row of the breakdown: how many documents of one period, legal entity, feature and status. */
    public record Count(LocalDate period, String legalEntity, String featureId, String status, long documents) {
    }

    public record RuleCount(String ruleId, long findings, long documents) {
    }

    public record Usage(Query query, List<Count> counts, Map<String, Long> byStatus, long documents, long failed,
                        double failureRate, Long p50Millis, Long p95Millis, List<RuleCount> topRules) {
    }

    private final JdbcTemplate jdbc;

    public UsageStatistics(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Usage over(Query q) {
        List<Object> args = new ArrayList<>();
        String where = where(q, args);
        Map<String, Long> perKey = new TreeMap<>();
        Map<String, Long> byStatus = new TreeMap<>();
        List<Long> durations = new ArrayList<>();
        jdbc.query("SELECT created_at, finished_at, legal_entity, feature_id, status FROM submission s WHERE " + where,
                (RowCallbackHandler) rs -> {
                    OffsetDateTime created = rs.getObject(1, OffsetDateTime.class);
                    OffsetDateTime finished = rs.getObject(2, OffsetDateTime.class);
                    String status = rs.getString(5);
                    String key = period(created, q.bucket()) + "\t" + rs.getString(3) + "\t" + rs.getString(4) + "\t" + status;
                    perKey.merge(key, 1L, Long::sum);
                    byStatus.merge(status, 1L, Long::sum);
                    if (finished != null) {
                        durations.add(Duration.between(created, finished).toMillis());
                    }
                }, args.toArray());
        List<Count> counts = new ArrayList<>();
        perKey.forEach((key, n) -> {
            String[] k = key.split("\t", 4);
            counts.add(new Count(LocalDate.parse(k[0]), k[1], k[2], k[3], n));
        });
        long documents = byStatus.values().stream().mapToLong(Long::longValue).sum();
        long failed = byStatus.getOrDefault("Failed", 0L);
        long finished = failed + byStatus.getOrDefault("Completed", 0L);
        long[] sorted = durations.stream().mapToLong(Long::longValue).sorted().toArray();
        List<RuleCount> topRules = jdbc.query("SELECT f.rule_id, COUNT(*), COUNT(DISTINCT f.submission_id) "
                        + "FROM submission_finding f JOIN submission s ON s.id = f.submission_id AND s.run_no = f.run_no "
                        + "WHERE f.severity IN ('FATAL','ERROR') AND " + where
                        + " GROUP BY f.rule_id ORDER BY COUNT(DISTINCT f.submission_id) DESC, f.rule_id LIMIT 10",
                (rs, i) -> new RuleCount(rs.getString(1), rs.getLong(2), rs.getLong(3)), args.toArray());
        return new Usage(q, counts, byStatus, documents, failed, finished == 0 ? 0 : (double) failed / finished,
                percentile(sorted, 50), percentile(sorted, 95), topRules);
    }

    private static String where(Query q, List<Object> args) {
        StringBuilder sql = new StringBuilder("s.created_at >= ? AND s.created_at < ?");
        args.add(q.from());
        args.add(q.to());
        if (q.legalEntity() != null) {
            sql.append(" AND s.legal_entity = ?");
            args.add(q.legalEntity());
        }
        if (q.featureId() != null) {
            sql.append(" AND s.feature_id = ?");
            args.add(q.featureId());
        }
        if (q.visibleLegalEntities() != null) {
            // the caller's own legal entities only; none at all matches nothing
            sql.append(q.visibleLegalEntities().isEmpty() ? " AND 1=0" : " AND s.legal_entity IN ("
                    + String.join(",", Collections.nCopies(q.visibleLegalEntities().size(), "?")) + ")");
            args.addAll(q.visibleLegalEntities());
        }
        return sql.toString();
    }

    static LocalDate period(OffsetDateTime t, Bucket bucket) {
        LocalDate day = t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
        return bucket == Bucket.week ? day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)) : day;
    }

    /** Nearest-rank percentile of sorted values; null without values. */
    static Long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
