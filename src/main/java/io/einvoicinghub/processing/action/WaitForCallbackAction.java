package io.einvoicinghub.processing.action;

import io.einvoicinghub.processing.RunState;
import io.einvoicinghub.submission.RunCallbacks;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * {@code wait-for-callback}: the authority tells the hub when it is done (a webhook, a SOAP notification)
 * instead of being asked. The step registers {@code correlationKey} for its run and the run is Pending with
 * no thread waiting; {@code POST /api/v1/callbacks/{correlationKey}} keeps the notification and makes the
 * run due at once, and the resumed step stores it as a file and puts it in {@code responseVariable} for
 * process-response. Without a notification within {@code maxWait} the step fails.
 */
@Component
public class WaitForCallbackAction implements Action {

    private static final ActionSpec SPEC = ActionSpec.of("wait-for-callback",
                    "Wait for the other side to post a notification to /api/v1/callbacks/{correlationKey} (the run is Pending meanwhile)")
            .parameter(ParameterSpec.required("correlationKey", ParameterSpec.Type.STRING,
                    "key the notification is posted under, unique per run; may use ${variables}, e.g. ${sdiId}"))
            .parameter(ParameterSpec.optional("maxWait", ParameterSpec.Type.DURATION, "P5D",
                    "give up (Failed) when no notification has come within this time"))
            .parameter(ParameterSpec.optional("recheck", ParameterSpec.Type.DURATION, "5m",
                    "safety look at the key this often in case a wake-up was missed (a notification normally resumes the run at once)"))
            .parameter(ParameterSpec.optional("responseVariable", ParameterSpec.Type.STRING, "callback",
                    "variable that keeps the notification's body"))
            .build();

    private final RunCallbacks callbacks;

    public WaitForCallbackAction(RunCallbacks callbacks) {
        this.callbacks = callbacks;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public StepResult run(StepContext step) throws Exception {
        if (step.dryRun()) {
            step.endDryRun();
            return StepResult.done();
        }
        StepParameters p = step.parameters();
        String key = p.require("correlationKey");
        if (key.isBlank() || key.length() > 200) {
            throw new StepFailure.Permanent("correlation key must be 1-200 characters (got " + key.length() + ")");
        }
        if (callbacks.register(key, step.submission().id(), step.runNumber(), step.step())
                == RunCallbacks.Registration.TAKEN_BY_ANOTHER_RUN) {
            throw new StepFailure.Permanent("correlation key '" + key + "' is already used by another submission");
        }
        RunCallbacks.Callback callback = callbacks.find(key).orElseThrow();
        if (callback.received()) {
            byte[] body = callback.payload().getBytes(StandardCharsets.UTF_8);
            step.storeFile(step.step() + "-callback" + extension(callback.contentType()), "callback",
                    callback.contentType(), body);
            step.setVariable(p.require("responseVariable"), callback.payload());
            callbacks.consume(key);
            return StepResult.done();
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        RunState.Waiting waiting = step.state().waiting != null && step.step().equals(step.state().waiting.step())
                ? step.state().waiting : null;
        OffsetDateTime since = waiting == null ? now : waiting.since();
        Duration maxWait = p.getDuration("maxWait", Duration.ofDays(5));
        Duration left = Duration.between(now, since.plus(maxWait));
        if (left.isNegative() || left.isZero()) {
            throw new StepFailure.Permanent("no notification for correlation key '" + key + "' within " + maxWait);
        }
        Duration recheck = p.getDuration("recheck", Duration.ofMinutes(5));
        return StepResult.waitFor(left.compareTo(recheck) < 0 ? left : recheck,
                "Waiting for the notification under correlation key '" + key + "'");
    }

    private static String extension(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
        return type.contains("json") ? ".json" : type.contains("xml") ? ".xml" : ".txt";
    }
}
