package io.einvoicinghub.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.HubProperties;
import io.einvoicinghub.security.Caller;
import io.einvoicinghub.submission.RunCallbacks;
import io.einvoicinghub.submission.Submission;
import io.einvoicinghub.submission.SubmissionRejectedException;
import io.einvoicinghub.submission.SubmissionRepository;
import io.einvoicinghub.submission.UnifiedJson;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /api/v1/callbacks/{correlationKey}}: an authority's (or its adapter's) notification for a run
 * waiting in a {@code wait-for-callback} step. The notification is kept once and wakes the run; the ERP sees
 * its effect in the submission's log.
 */
@Component("callbackApi")
public class CallbackApi {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackApi.class);
    /** The notification column holds at most a million characters; UTF-8 bytes are never fewer. */
    private static final long MAX_NOTIFICATION_BYTES = 1_000_000;

    private final RunCallbacks callbacks;
    private final SubmissionRepository submissions;
    private final HubProperties properties;

    public CallbackApi(RunCallbacks callbacks, SubmissionRepository submissions, HubProperties properties) {
        this.callbacks = callbacks;
        this.submissions = submissions;
        this.properties = properties;
    }

    public void receive(Exchange exchange) {
        Caller caller = ErpApi.caller(exchange);
        String key = exchange.getMessage().getHeader("correlationKey", String.class);
        Supplier<SubmissionRejectedException> unknown = () -> new SubmissionRejectedException(404, "Not found",
                "No run waits on correlation key " + RequestBodies.printable(key == null ? "" : key));
        RunCallbacks.Callback callback = (key == null ? Optional.<RunCallbacks.Callback>empty() : callbacks.find(key))
                .orElseThrow(unknown);
        // a key of another legal entity's run is answered exactly like an unknown one
        Submission submission = submissions.findById(callback.submissionId())
                .filter(s -> caller.mayAccess(s.legalEntity())).orElseThrow(unknown);
        if (callback.received()) {
            throw alreadyReceived(key, callback);
        }
        if (submission.runNo() != callback.run() || submission.status().isTerminal()) {
            throw new SubmissionRejectedException(409, "Already finished", "Submission " + submission.id()
                    + " is " + submission.status() + " and no longer waits on this key");
        }
        byte[] body = RequestBodies.readNotification(exchange,
                Math.min(MAX_NOTIFICATION_BYTES, properties.api().maxRequestBytes()));
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class)
                .split(";")[0].trim().toLowerCase(Locale.ROOT);
        switch (callbacks.receive(key, new String(body, StandardCharsets.UTF_8), contentType)) {
            case ALREADY_RECEIVED -> throw alreadyReceived(key, callback);
            case UNKNOWN_KEY -> throw unknown.get();
            case ACCEPTED -> LOG.info("Notification for submission {} run {} (key {}, {} bytes) from {}",
                    submission.id(), callback.run(), RequestBodies.printable(key), body.length, caller.name());
        }
        ObjectNode answer = UnifiedJson.mapper().createObjectNode();
        answer.put("correlationKey", key);
        answer.put("submissionId", submission.id());
        answer.put("run", callback.run());
        answer.put("received", true);
        HttpReplies.json(exchange, 202, answer);
    }

    private static SubmissionRejectedException alreadyReceived(String key, RunCallbacks.Callback callback) {
        return new SubmissionRejectedException(409, "Callback already received", "A notification for correlation key "
                + RequestBodies.printable(key) + " was already received at " + callback.receivedAt()
                + "; the first one counts");
    }
}
