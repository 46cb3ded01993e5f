package io.einvoicinghub;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/** The hub's own settings (prefix {@code hub}); storage settings live in {@code hub.storage}. */
@ConfigurationProperties(prefix = "hub")
public record HubProperties(Path dataDir, Path routesDir, Path transformationsDir, String nodeId, Api api,
                            Processing processing, Features features) {

    public HubProperties {
        dataDir = dataDir == null ? Path.of("data") : dataDir;
        routesDir = routesDir == null ? Path.of("routes") : routesDir;
        transformationsDir = transformationsDir == null ? Path.of("transformations") : transformationsDir;
        nodeId = nodeId == null || nodeId.isBlank() ? "local" : nodeId;
        api = api == null ? new Api(10 * 1024 * 1024, 100, 50 * 1024 * 1024) : api;
        processing = processing == null ? new Processing("einvoicing.submissions", 2, 300, 30, 120, 1000, 0.2) : processing;
        features = features == null ? new Features(false) : features;
    }

    /**
     * @param maxRequestBytes      a larger single submission is refused with 413 before it is parsed
     * @param maxBatchRequestBytes the same for a whole batch
     */
    public record Api(long maxRequestBytes, int maxBatchItems, long maxBatchRequestBytes) {
        public Api {
            maxBatchRequestBytes = maxBatchRequestBytes <= 0 ? 50L * 1024 * 1024 : maxBatchRequestBytes;
        }
    }

    /**
     * @param leaseSeconds                  how long a node may hold a submission in Executing before another node may take it over
     * @param requeueScheduledAfterSeconds  a Scheduled submission untouched this long is put on the queue again
     * @param pendingPollMillis             how often the node looks for Pending runs whose next check is due
     * @param pendingJitter                 a Pending run's next check comes up to this fraction of its wait early, at
     *                                      random (0-1, default 0.2): runs that went Pending together spread their checks
     */
    public record Processing(String queue, int concurrency, long leaseSeconds, long recoveryIntervalSeconds,
                             long requeueScheduledAfterSeconds, long pendingPollMillis, Double pendingJitter) {
        public Processing {
            pendingPollMillis = pendingPollMillis <= 0 ? 1000 : pendingPollMillis;
            pendingJitter = pendingJitter == null ? 0.2 : Math.max(0, Math.min(1, pendingJitter));
        }
    }

    /** @param watch re-read feature descriptors when their files change (development mode) */
    public record Features(boolean watch) {
    }
}
