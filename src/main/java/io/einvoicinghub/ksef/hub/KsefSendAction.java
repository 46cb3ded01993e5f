package io.einvoicinghub.ksef.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.ksef.BearerToken;
import io.einvoicinghub.ksef.InvoiceStatus;
import io.einvoicinghub.ksef.KsefClient;
import io.einvoicinghub.ksef.KsefCrypto;
import io.einvoicinghub.ksef.KsefException;
import io.einvoicinghub.ksef.OnlineSession;
import io.einvoicinghub.ksef.SentInvoice;
import io.einvoicinghub.processing.action.Action;
import io.einvoicinghub.processing.action.ActionSpec;
import io.einvoicinghub.processing.action.ParameterSpec;
import io.einvoicinghub.processing.action.StepContext;
import io.einvoicinghub.processing.action.StepFailure;
import io.einvoicinghub.processing.action.StepParameters;
import io.einvoicinghub.processing.action.StepResult;
import io.einvoicinghub.secrets.SecretStore;
import io.einvoicinghub.submission.UnifiedJson;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * {@code ksef-send}: sends the current document (FA(3)) to KSeF 2.0 in the taxpayer's online session. The
 * session is recorded in the checkpoint before the invoice leaves; when the outcome of a send is unknown (a
 * lost answer, a crash) the step first asks KSeF whether that session holds an invoice with the document's
 * hash and only sends when it does not, so KSeF receives each invoice once.
 */
@Component
public class KsefSendAction implements Action {

    public static final String SESSION_VARIABLE = "ksefSessionReference";
    public static final String INVOICE_VARIABLE = "ksefInvoiceReference";
    public static final String HASH_VARIABLE = "ksefInvoiceHash";

    private static final ActionSpec SPEC = ActionSpec.of("ksef-send",
                    "Send the current FA(3) document to KSeF 2.0 (token login, online session, encrypted invoice); exactly once")
            .externalEffect()
            .parameter(ParameterSpec.required("environment", ParameterSpec.Type.STRING,
                    "KSeF environment: test, demo, production, or the API's base URL (e.g. a simulator)"))
            .parameter(ParameterSpec.required("tokenSecret", ParameterSpec.Type.SECRET,
                    "name of the taxpayer's KSeF token in the secret store; may use ${legalEntity}"))
            .parameter(ParameterSpec.optional("nip", ParameterSpec.Type.STRING, null,
                    "the taxpayer's NIP; default: the seller's VAT identifier (BT-31) without PL"))
            .build();

    private final KsefConnections connections;

    public KsefSendAction(KsefConnections connections) {
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
        byte[] xml = step.document();
        String hash = KsefCrypto.sha256Base64(xml);
        KsefClient client = connections.client(environment);
        try {
            String earlierSession = step.variable(SESSION_VARIABLE);
            if (step.outcomeUnknown() && earlierSession != null && hash.equals(step.variable(HASH_VARIABLE))) {
                BearerToken token = connections.accessToken(environment, nip, tokenSecret);
                Optional<InvoiceStatus> present = client.findInvoiceByHash(token, earlierSession, hash);
                if (present.isPresent()) {
                    record(step, earlierSession, new SentInvoice(present.get().referenceNumber(), hash, xml.length, true));
                    return StepResult.done();
                }
            }
            OnlineSession session = connections.session(environment, nip, tokenSecret);
            step.setVariable(SESSION_VARIABLE, session.referenceNumber());
            step.setVariable(HASH_VARIABLE, hash);
            step.recordProgress(); // from here on the outcome may be unknown: the next attempt looks before it sends
            step.storeFile("ksef-send-request.json", "request", "application/json", request(session, hash, xml.length, nip));
            SentInvoice sent = client.sendInvoice(connections.accessToken(environment, nip, tokenSecret), session, xml);
            record(step, session.referenceNumber(), sent);
            return StepResult.done();
        } catch (KsefException e) {
            throw KsefFailures.of(e, connections, environment, nip, tokenSecret);
        } catch (SecretStore.SecretNotFoundException e) {
            throw new StepFailure.Permanent(e.getMessage());
        } catch (SecretStore.SecretStoreUnavailableException e) {
            throw new StepFailure.Transient(e.getMessage(), null); // the vault could not answer: try again
        }
    }

    private static void record(StepContext step, String session, SentInvoice sent) {
        step.setVariable(SESSION_VARIABLE, session);
        step.setVariable(INVOICE_VARIABLE, sent.referenceNumber());
        ObjectNode answer = UnifiedJson.mapper().createObjectNode()
                .put("operation", sent.alreadyPresent() ? "GET /sessions/{ref}/invoices (found by hash)" : "POST /sessions/online/{ref}/invoices")
                .put("sessionReferenceNumber", session)
                .put("referenceNumber", sent.referenceNumber())
                .put("invoiceHash", sent.invoiceHash())
                .put("alreadyPresent", sent.alreadyPresent())
                .put("receivedAt", OffsetDateTime.now(ZoneOffset.UTC).toString());
        step.storeFile("ksef-send-response.json", "response", "application/json", UnifiedJson.writePretty(answer));
    }

    /** What was sent, without the encrypted content (the FA(3) file itself is stored; the session key never is). */
    private static byte[] request(OnlineSession session, String hash, int size, String nip) {
        ObjectNode request = UnifiedJson.mapper().createObjectNode()
                .put("operation", "POST /sessions/online/{ref}/invoices")
                .put("sessionReferenceNumber", session.referenceNumber())
                .put("contextNip", nip)
                .put("invoiceHash", hash)
                .put("invoiceSize", size)
                .put("encryptedInvoiceContent", "(AES-256 encrypted FA(3) document; not stored)")
                .put("authorization", "****")
                .put("sentAt", OffsetDateTime.now(ZoneOffset.UTC).toString());
        return UnifiedJson.writePretty(request);
    }
}
