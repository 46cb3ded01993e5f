package io.einvoicinghub.ksef.hub;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.ksef.BearerToken;
import io.einvoicinghub.ksef.InvoiceStatus;
import io.einvoicinghub.ksef.KsefClient;
import io.einvoicinghub.ksef.KsefException;
import io.einvoicinghub.ksef.KsefRateLimitedException;
import io.einvoicinghub.processing.RunState;
import io.einvoicinghub.processing.action.Action;
import io.einvoicinghub.processing.action.ActionSpec;
import io.einvoicinghub.processing.action.ParameterSpec;
import io.einvoicinghub.processing.action.StepContext;
import io.einvoicinghub.processing.action.StepFailure;
import io.einvoicinghub.processing.action.StepParameters;
import io.einvoicinghub.processing.action.StepResult;
import io.einvoicinghub.secrets.SecretStore;
import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.submission.Verdict;
import io.einvoicinghub.validation.Finding;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ksef-await-status}: polls the status of the invoice {@code ksef-send} sent, on the run's persisted
 * schedule (the run is Pending, no thread waits). Accepted (200): the KSeF number and acquisition date become
 * authority outputs and the UPO is stored; rejected (4xx): KSeF's code and details become findings and the
 * verdict Rejected; 500/550 (KSeF failed on its side): a transient failure, so the feature can send again
 * from its send step ({@code restartFrom}). KSeF's rate limit (429) on a look makes the run wait, Pending, for
 * its Retry-After: no worker sleeps through it, which with thousands of Pending runs would stop every worker.
 */
@Component
public class KsefAwaitStatusAction implements Action {

    private static final ActionSpec SPEC = ActionSpec.of("ksef-await-status",
                    "Wait for KSeF's verdict on the sent invoice: KSeF number and UPO, or KSeF's rejection codes")
            .parameter(ParameterSpec.required("environment", ParameterSpec.Type.STRING, "as for ksef-send"))
            .parameter(ParameterSpec.required("tokenSecret", ParameterSpec.Type.SECRET, "as for ksef-send"))
            .parameter(ParameterSpec.optional("nip", ParameterSpec.Type.STRING, null, "as for ksef-send"))
            .parameter(ParameterSpec.optional("interval", ParameterSpec.Type.DURATION, "2s", "first wait between two looks"))
            .parameter(ParameterSpec.optional("backoffFactor", ParameterSpec.Type.NUMBER, "1.5", "growth of the wait per look"))
            .parameter(ParameterSpec.optional("maxInterval", ParameterSpec.Type.DURATION, "1m", "longest wait between two looks"))
            .parameter(ParameterSpec.optional("maxWait", ParameterSpec.Type.DURATION, "P1D", "give up (Failed) after waiting this long"))
            .build();

    private final KsefConnections connections;

    public KsefAwaitStatusAction(KsefConnections connections) {
        this.connections = connections;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public StepResult run(StepContext step) throws Exception {
        StepParameters p = step.parameters();
        String environment = p.require("environment");
        String tokenSecret = p.require("tokenSecret");
        String nip = KsefFailures.nip(p.get("nip").orElse(null),
                UnifiedJson.mapper().readTree(step.input()).at("/seller/vatId").asText(null));
        String session = step.variable(KsefSendAction.SESSION_VARIABLE);
        String invoice = step.variable(KsefSendAction.INVOICE_VARIABLE);
        if (session == null || invoice == null) {
            throw new StepFailure.Permanent("no KSeF invoice to wait for: a ksef-send step must come first");
        }
        RunState.Waiting waiting = step.state().waiting != null && step.step().equals(step.state().waiting.step())
                ? step.state().waiting : null;
        Duration timeout = p.getDuration("maxWait", Duration.ofDays(1));
        if (waiting != null && Duration.between(waiting.since(), OffsetDateTime.now(ZoneOffset.UTC)).compareTo(timeout) > 0) {
            throw new StepFailure.Permanent("KSeF gave no verdict within " + timeout + " (" + waiting.polls() + " looks)");
        }
        KsefClient client = connections.client(environment);
        try {
            BearerToken token = connections.accessToken(environment, nip, tokenSecret);
            InvoiceStatus status = client.invoiceStatus(token, session, invoice);
            if (status.processing()) {
                int polls = waiting == null ? 0 : waiting.polls();
                Duration next = nextInterval(p, polls);
                return StepResult.waitFor(next, "KSeF is processing invoice " + invoice + " (status "
                        + status.status().code() + "; look " + (polls + 1) + ", next in " + next.toMillis() + " ms)");
            }
            step.storeFile("ksef-invoice-status.json", "response", "application/json", describe(status));
            if (status.accepted()) {
                step.addAuthorityOutput("ksefNumber", status.ksefNumber());
                step.addAuthorityOutput("ksefReferenceNumber", status.referenceNumber());
                step.addAuthorityOutput("ksefSessionReferenceNumber", session);
                if (status.acquisitionDate() != null) {
                    step.addAuthorityOutput("acquisitionDate", status.acquisitionDate());
                }
                step.storeFile("upo-" + status.ksefNumber() + ".xml", "authority-receipt", "application/xml",
                        client.invoiceUpo(token, session, invoice));
                step.state().verdict = Verdict.Accepted;
                step.state().outcomeMessage = "Accepted by KSeF: " + status.ksefNumber();
                return StepResult.done();
            }
            if (status.rejected()) {
                status.originalKsefNumber().ifPresent(n -> step.addAuthorityOutput("originalKsefNumber", n));
                step.addFindings(findings(status));
                step.state().verdict = Verdict.Rejected;
                step.state().outcomeMessage = "Rejected by KSeF: " + status.status().code() + " "
                        + status.status().description() + (status.status().details().isEmpty() ? ""
                        : " (" + String.join("; ", status.status().details()) + ")");
                return StepResult.done();
            }
            throw new StepFailure.Transient("KSeF could not process invoice " + invoice + ": " + status.status().code()
                    + " " + status.status().description(), null);
        } catch (KsefRateLimitedException e) {
            int polls = waiting == null ? 0 : waiting.polls();
            Duration next = e.retryAfter().orElseGet(() -> nextInterval(p, polls));
            return StepResult.waitAtLeast(next, "KSeF's rate limit (429) on invoice " + invoice + "; next look in "
                    + next.toMillis() + " ms" + (e.retryAfter().isPresent() ? " (Retry-After)" : ""));
        } catch (KsefException e) {
            throw KsefFailures.of(e, connections, environment, nip, tokenSecret);
        } catch (SecretStore.SecretNotFoundException e) {
            throw new StepFailure.Permanent(e.getMessage());
        } catch (SecretStore.SecretStoreUnavailableException e) {
            throw new StepFailure.Transient(e.getMessage(), null); // the vault could not answer: try again
        }
    }

    /** KSeF's code is the rule id; each detail line is a finding of its own (the first carries the description). */
    private static List<Finding> findings(InvoiceStatus status) {
        String code = String.valueOf(status.status().code());
        List<Finding> findings = new ArrayList<>();
        findings.add(new Finding("KSeF", code, Finding.Severity.ERROR, status.status().description(), null, null));
        for (String detail : status.status().details()) {
            findings.add(new Finding("KSeF", code, Finding.Severity.ERROR, detail, null, null));
        }
        return findings;
    }

    private static byte[] describe(InvoiceStatus status) {
        ObjectNode json = UnifiedJson.mapper().createObjectNode()
                .put("operation", "GET /sessions/{ref}/invoices/{invoiceRef}")
                .put("referenceNumber", status.referenceNumber())
                .put("ksefNumber", status.ksefNumber())
                .put("invoiceNumber", status.invoiceNumber())
                .put("invoiceHash", status.invoiceHash())
                .put("acquisitionDate", status.acquisitionDate());
        ObjectNode s = json.putObject("status").put("code", status.status().code()).put("description", status.status().description());
        ArrayNode details = s.putArray("details");
        status.status().details().forEach(details::add);
        return UnifiedJson.writePretty(json);
    }

    static Duration nextInterval(StepParameters p, int polls) {
        double factor = Double.parseDouble(p.get("backoffFactor", "1.5"));
        long first = p.getDuration("interval", Duration.ofSeconds(2)).toMillis();
        long max = p.getDuration("maxInterval", Duration.ofMinutes(1)).toMillis();
        return Duration.ofMillis((long) Math.min(max, first * Math.pow(factor, polls)));
    }
}
