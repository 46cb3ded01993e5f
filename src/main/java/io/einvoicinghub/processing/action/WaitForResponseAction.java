package io.einvoicinghub.processing.action;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.processing.RunState;
import io.einvoicinghub.secrets.KeyMaterials;
import io.einvoicinghub.secrets.SecretStore;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * {@code wait-for-response}: the authority works asynchronously. {@code poll}: asks its status URL; while
 * the answer says "still processing" the run is Pending (verdict Awaiting) and no thread waits — it looks
 * again after {@code interval}, growing by {@code backoffFactor} up to {@code maxInterval}, until
 * {@code maxWait}. The final answer is kept in {@code responseVariable} for process-response.
 */
@Component
public class WaitForResponseAction implements Action {

    private static final ActionSpec SPEC;

    static {
        ActionSpec.Builder b = ActionSpec.of("wait-for-response",
                        "Wait for an asynchronous answer by polling a status URL on a persisted schedule (the run is Pending meanwhile)")
                .parameter(ParameterSpec.required("url", ParameterSpec.Type.STRING, "status URL; may use ${variables}"))
                .parameter(ParameterSpec.optional("pendingPointer", ParameterSpec.Type.STRING, null,
                        "JSON pointer of the status in the answer, e.g. /status/code"))
                .parameter(ParameterSpec.optional("pendingValues", ParameterSpec.Type.STRING, null,
                        "comma-separated status values that mean 'still processing' (HTTP 202 always does)"))
                .parameter(ParameterSpec.optional("interval", ParameterSpec.Type.DURATION, "2s", "first wait between two looks"))
                .parameter(ParameterSpec.optional("backoffFactor", ParameterSpec.Type.NUMBER, "1.5", "growth of the wait per look"))
                .parameter(ParameterSpec.optional("maxInterval", ParameterSpec.Type.DURATION, "1m", "longest wait between two looks"))
                .parameter(ParameterSpec.optional("maxWait", ParameterSpec.Type.DURATION, "P1D", "give up (Failed) after waiting this long"))
                .parameter(ParameterSpec.optional("responseVariable", ParameterSpec.Type.STRING, "response",
                        "variable that keeps the final answer's body"));
        HttpExchange.PARAMETERS.forEach(b::parameter);
        SPEC = b.build();
    }

    private final HttpExchange http;

    public WaitForResponseAction(SecretStore secrets, KeyMaterials keys) {
        this.http = new HttpExchange(secrets, keys);
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public StepResult run(StepContext step) throws Exception {
        StepParameters p = step.parameters();
        RunState.Waiting waiting = step.state().waiting != null && step.step().equals(step.state().waiting.step())
                ? step.state().waiting : null;
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Duration timeout = p.getDuration("maxWait", Duration.ofDays(1));
        if (waiting != null && Duration.between(waiting.since(), now).compareTo(timeout) > 0) {
            throw new StepFailure.Permanent("no final answer within " + timeout + " (" + waiting.polls() + " looks)");
        }
        int polls = waiting == null ? 0 : waiting.polls();
        HttpExchange.Answer answer = http.send(step, "GET", p.require("url"), null, null,
                step.step() + "-" + (polls + 1), null, null);
        JsonNode json = answer.json().orElse(null);
        if (isPending(p, answer, json)) {
            Duration next = nextInterval(p, polls);
            return StepResult.waitFor(next, "Waiting for the answer (look " + (polls + 1) + "; next in "
                    + next.toMillis() + " ms)");
        }
        step.setVariable(p.require("responseVariable"), answer.text());
        if (json != null) {
            HttpExchange.extract(step, json);
        }
        return StepResult.done();
    }

    private static boolean isPending(StepParameters p, HttpExchange.Answer answer, JsonNode json) {
        if (answer.status() == 202) {
            return true;
        }
        String pointer = p.get("pendingPointer").orElse(null);
        List<String> values = p.getList("pendingValues");
        if (pointer == null || json == null) {
            return false;
        }
        JsonNode value = json.at(pointer);
        return !value.isMissingNode() && values.contains(value.asText());
    }

    static Duration nextInterval(StepParameters p, int polls) {
        double factor = Double.parseDouble(p.get("backoffFactor", "1.5"));
        long first = p.getDuration("interval", Duration.ofSeconds(2)).toMillis();
        long max = p.getDuration("maxInterval", Duration.ofMinutes(1)).toMillis();
        return Duration.ofMillis((long) Math.min(max, first * Math.pow(factor, polls)));
    }
}
