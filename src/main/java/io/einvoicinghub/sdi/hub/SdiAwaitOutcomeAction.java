package io.einvoicinghub.sdi.hub;

import io.einvoicinghub.processing.RunState;
import io.einvoicinghub.processing.action.Action;
import io.einvoicinghub.processing.action.ActionSpec;
import io.einvoicinghub.processing.action.ParameterSpec;
import io.einvoicinghub.processing.action.StepContext;
import io.einvoicinghub.processing.action.StepFailure;
import io.einvoicinghub.processing.action.StepResult;
import io.einvoicinghub.sdi.SdiNotification;
import io.einvoicinghub.sdi.SdiXml;
import io.einvoicinghub.submission.Verdict;
import io.einvoicinghub.validation.Finding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code sdi-await-outcome}: the run is Pending until SDI's final message about the file {@code sdi-send} sent. SDI
 * calls the hub's TrasmissioneFatture endpoint with each message; taking one wakes the run, and this step stores it
 * (under SDI's own message file name), logs it and decides:
 * <ul>
 *   <li>FPR12 (B2B): RicevutaConsegna — delivered, Accepted; NotificaScarto — Rejected, each ListaErrori entry a finding
 *       with SDI's code; NotificaMancataConsegna — not deliverable, the invoice is in the buyer's reserved area: Accepted
 *       (the invoice counts as issued), said so in the message;</li>
 *   <li>FPA12 (public administration): RC and MC are not final; NotificaEsito EC01 — Accepted, EC02 — Rejected
 *       (the PA's reason a finding); NotificaDecorrenzaTermini — Accepted, the terms elapsed without an outcome;
 *       AttestazioneTrasmissioneFattura after an MC — Accepted, transmission attested, not delivered.</li>
 * </ul>
 * A NotificaScarto whose only error is 00002 (duplicate file name) after the step sent the same name again is SDI
 * refusing the copy of a file it already has: logged, not an outcome. Messages are read after the last one this run
 * took (a variable in the checkpoint), so a crash between reading and checkpointing reads them again.
 */
@Component
public class SdiAwaitOutcomeAction implements Action {

    private static final Logger LOG = LoggerFactory.getLogger(SdiAwaitOutcomeAction.class);
    static final String LAST_MESSAGE_VARIABLE = "sdiLastMessage";
    static final String STATE_VARIABLE = "sdiState";
    public static final String DUPLICATE_NAME = "00002";

    private static final ActionSpec SPEC = ActionSpec.of("sdi-await-outcome",
                    "Wait for SDI's final message on the sent file (RC, NS, MC, NE EC01/EC02, AT, DT) and set the verdict")
            .parameter(ParameterSpec.optional("maxWait", ParameterSpec.Type.DURATION, "P30D",
                    "give up (Failed) without a final message within this time (SDI: decorrenza termini after 15 days, attestazione after 10 more)"))
            .parameter(ParameterSpec.optional("recheck", ParameterSpec.Type.DURATION, "10m",
                    "safety look for messages this often in case a wake-up was missed (a message normally resumes the run at once)"))
            .build();

    private final SdiTransmissions transmissions;

    public SdiAwaitOutcomeAction(SdiTransmissions transmissions) {
        this.transmissions = transmissions;
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
        String fileName = step.variable(SdiSendAction.FILE_VARIABLE);
        if (fileName == null) {
            throw new StepFailure.Permanent("no SDI file to wait for: an sdi-send step must come first");
        }
        boolean pa = "FPA12".equals(step.variable(SdiSendAction.FORMAT_VARIABLE));
        boolean resent = Integer.parseInt(java.util.Optional.ofNullable(step.variable(SdiSendAction.SENDS_VARIABLE)).orElse("1")) > 1;
        long last = Long.parseLong(java.util.Optional.ofNullable(step.variable(LAST_MESSAGE_VARIABLE)).orElse("0"));
        for (SdiTransmissions.Message message : transmissions.all(fileName)) {
            if (message.id() <= last) {
                continue;
            }
            SdiNotification n;
            try {
                n = SdiNotification.parse(message.payload().getBytes(StandardCharsets.UTF_8));
            } catch (SdiXml.SdiMessageException e) {
                throw new StepFailure.Permanent("SDI message " + message.messageFile() + " cannot be read: " + e.getMessage());
            }
            step.storeFile(message.messageFile(), "notification", "application/xml", message.payload().getBytes(StandardCharsets.UTF_8));
            step.setVariable(LAST_MESSAGE_VARIABLE, Long.toString(message.id()));
            transmissions.consume(message.id());
            if (resent && isDuplicateOfACopy(n)) {
                LOG.info("Submission {}: SDI refused the copy {} of {} (00002, duplicate name): it already has the file",
                        step.submission().id(), n.identificativoSdI(), fileName);
                continue;
            }
            step.setVariable(SdiSendAction.ID_VARIABLE, n.identificativoSdI());
            if (decide(step, fileName, n, pa)) {
                return StepResult.done();
            }
        }
        RunState.Waiting waiting = step.state().waiting != null && step.step().equals(step.state().waiting.step())
                ? step.state().waiting : null;
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime since = waiting == null ? now : waiting.since();
        Duration maxWait = step.parameters().getDuration("maxWait", Duration.ofDays(30));
        Duration left = Duration.between(now, since.plus(maxWait));
        if (left.isNegative() || left.isZero()) {
            throw new StepFailure.Permanent("SDI sent no final message about " + fileName + " within " + maxWait
                    + " (last: " + java.util.Optional.ofNullable(step.variable(STATE_VARIABLE)).orElse("none") + ")");
        }
        Duration recheck = step.parameters().getDuration("recheck", Duration.ofMinutes(10));
        String id = step.variable(SdiSendAction.ID_VARIABLE);
        String state = java.util.Optional.ofNullable(step.variable(STATE_VARIABLE)).orElse("sent, no message yet");
        return StepResult.waitFor(left.compareTo(recheck) < 0 ? left : recheck,
                "SDI " + fileName + (id == null ? "" : " (IdentificativoSdI " + id + ")") + ": " + state);
    }

    /** True for a NotificaScarto whose only error is 00002, the answer to a copy of a file SDI already has. */
    static boolean isDuplicateOfACopy(SdiNotification n) {
        return n.type() == SdiNotification.Type.NS && !n.errors().isEmpty()
                && n.errors().stream().allMatch(e -> DUPLICATE_NAME.equals(e.code()));
    }

    /** Applies one message; true when it is the final one. */
    private static boolean decide(StepContext step, String fileName, SdiNotification n, boolean pa) {
        switch (n.type()) {
            case RC -> {
                step.setVariable(STATE_VARIABLE, "delivered (RicevutaConsegna)" + (pa ? "; waiting for the administration's outcome" : ""));
                if (!pa) {
                    return finish(step, fileName, n, Verdict.Accepted, "RC", "Delivered by SDI to the recipient (RicevutaConsegna)");
                }
                return false;
            }
            case NS -> {
                step.addFindings(n.errors().stream().map(e -> new Finding("SDI", e.code(), Finding.Severity.ERROR,
                        e.description(), null, null)).toList());
                return finish(step, fileName, n, Verdict.Rejected, "NS", "Rejected by SDI (NotificaScarto): "
                        + n.errors().stream().map(e -> e.code() + " " + e.description()).collect(Collectors.joining("; ")));
            }
            case MC -> {
                if (pa) {
                    step.setVariable(STATE_VARIABLE, "not delivered yet (NotificaMancataConsegna); SDI keeps trying, then attests the transmission");
                    return false;
                }
                return finish(step, fileName, n, Verdict.Accepted, "MC", "Not deliverable: SDI put the invoice in the recipient's "
                        + "reserved area (ricevuta di impossibilità di recapito)" + (n.description() == null ? "" : ": " + n.description()));
            }
            case AT -> {
                return finish(step, fileName, n, Verdict.Accepted, "AT", "Not deliverable to the administration; SDI attests the "
                        + "transmission (AttestazioneTrasmissioneFattura)");
            }
            case NE -> {
                if ("EC02".equals(n.esito())) {
                    step.addFindings(List.of(new Finding("SDI", "EC02", Finding.Severity.ERROR,
                            "Refused by the public administration" + (n.description() == null ? "" : ": " + n.description()), null, null)));
                    return finish(step, fileName, n, Verdict.Rejected, "NE EC02", "Refused by the public administration (EC02)"
                            + (n.description() == null ? "" : ": " + n.description()));
                }
                return finish(step, fileName, n, Verdict.Accepted, "NE " + n.esito(), "Accepted by the public administration ("
                        + n.esito() + ")");
            }
            case DT -> {
                return finish(step, fileName, n, Verdict.Accepted, "DT", "The terms elapsed without an outcome from the public "
                        + "administration (NotificaDecorrenzaTermini)");
            }
            default -> {
                return false;
            }
        }
    }

    private static boolean finish(StepContext step, String fileName, SdiNotification n, Verdict verdict, String outcome, String message) {
        step.addAuthorityOutput("identificativoSdI", n.identificativoSdI());
        step.addAuthorityOutput("sdiFileName", fileName);
        step.addAuthorityOutput("sdiOutcome", outcome);
        step.state().verdict = verdict;
        step.state().outcomeMessage = message + " [IdentificativoSdI " + n.identificativoSdI() + "]";
        step.setVariable(STATE_VARIABLE, outcome);
        return true;
    }
}
