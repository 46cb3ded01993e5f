package io.einvoicinghub.inbound;

import eu.europa.esig.dss.enumerations.Indication;
import eu.europa.esig.dss.model.InMemoryDocument;
import io.einvoicinghub.signing.VerifySignatureAction;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies the signature of a received signed envelope (.p7m, CAdES/CMS enveloping) with EU DSS, through the
 * signing package's {@link VerifySignatureAction#verify} (DSS's ETSI policy, offline: revocation not fetched).
 * Signer, signing time, format and DSS's verdict go to the receipt log. A signature that does not verify (the
 * content or the signature changed, the key does not match) fails the receipt: the content is not what the sender
 * signed. A chain that reaches no trusted certificate is only a warning: the hub holds no trust list for vendors'
 * certificates (FatturaPA's qualified signatures are checked by SDI before the invoice is delivered).
 */
public class EnvelopeSignatureCheck {

    /** What the check found: log notes and, when the signature is broken, the reason to fail. */
    public record Result(List<DetectedDocument.Note> notes, String failure) {
    }

    public Result check(byte[] envelope) {
        VerifySignatureAction.Verification verification = VerifySignatureAction.verify(new InMemoryDocument(envelope, "envelope.p7m"),
                List.of(), List.of(), false);
        List<DetectedDocument.Note> notes = new ArrayList<>();
        if (verification.problem() != null || verification.outcomes().isEmpty()) {
            String why = verification.problem() != null ? verification.problem() : "DSS finds no signature in it";
            notes.add(new DetectedDocument.Note("ERROR", "Signed envelope: " + why, "SIGNATURE-MISSING"));
            return new Result(notes, "The signed envelope's signature cannot be verified: " + why);
        }
        String failure = null;
        for (VerifySignatureAction.Outcome o : verification.outcomes()) {
            String what = "Signature " + o.id() + " (" + o.format() + ") by " + o.signer()
                    + (o.signingTime() == null ? "" : ", signed " + DateTimeFormatter.ISO_INSTANT.format(o.signingTime().toInstant()))
                    + ", chain " + String.join(" > ", o.chain());
            String verdict = o.indication() + (o.subIndication() == null ? "" : "/" + o.subIndication());
            if (!o.intact() || o.indication() == Indication.TOTAL_FAILED || o.indication() == Indication.FAILED) {
                notes.add(new DetectedDocument.Note("ERROR", what + " does not verify (" + verdict + ")"
                        + (o.errors().isEmpty() ? "" : ": " + String.join("; ", o.errors())), "SIGNATURE-INVALID"));
                if (failure == null) {
                    failure = "The signature by " + o.signer() + " does not verify (" + verdict + "): the signed content or "
                            + "the signature was changed after signing; the original is kept";
                }
            } else if (o.indication() == Indication.TOTAL_PASSED || o.indication() == Indication.PASSED) {
                notes.add(new DetectedDocument.Note("INFO", what + " is valid (" + verdict + ")", "SIGNATURE-VALID"));
            } else {
                notes.add(new DetectedDocument.Note("WARNING", what + " is intact (signature value and content digest verify) but "
                        + "not confirmed (" + verdict + ")" + (o.trusted() ? "" : "; the chain reaches no trusted certificate"),
                        o.trusted() ? "SIGNATURE-INDETERMINATE" : "SIGNATURE-UNTRUSTED"));
            }
        }
        return new Result(notes, failure);
    }
}
