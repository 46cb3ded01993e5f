package io.einvoicinghub.sdi.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.processing.action.Action;
import io.einvoicinghub.processing.action.ActionSpec;
import io.einvoicinghub.processing.action.ParameterSpec;
import io.einvoicinghub.processing.action.StepContext;
import io.einvoicinghub.processing.action.StepFailure;
import io.einvoicinghub.processing.action.StepParameters;
import io.einvoicinghub.processing.action.StepResult;
import io.einvoicinghub.sdi.SdiClient;
import io.einvoicinghub.sdi.SdiFileName;
import io.einvoicinghub.sdi.SdiNotification;
import io.einvoicinghub.sdi.SdiSoap;
import io.einvoicinghub.sdi.SdiXml;
import io.einvoicinghub.secrets.SecretStore;
import io.einvoicinghub.submission.UnifiedJson;
import org.bouncycastle.cms.CMSSignedData;
import org.springframework.stereotype.Component;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sdi-send}: sends the current document — the signed FatturaPA file, named by SDI's rule — to SDI's
 * SdIRiceviFile over mutual TLS. The file name is registered for the run before the file leaves, so SDI's messages
 * find the run even when they come before the answer. Exactly once: SDI has no look-up, but it refuses a second file
 * under a name it already took (NotificaScarto 00002); so when the outcome of a send is unknown (time-out, lost answer,
 * crash) the step first looks whether SDI has already sent a message about the name, and otherwise sends again under
 * the same name — never a new one. SDI then holds one file; {@code sdi-await-outcome} treats the 00002 of the copy as
 * what it is.
 */
@Component
public class SdiSendAction implements Action {

    public static final String FILE_VARIABLE = "sdiFileName";
    public static final String ID_VARIABLE = "sdiId";
    public static final String FORMAT_VARIABLE = "sdiFormat";
    public static final String SENDS_VARIABLE = "sdiSends";
    private static final Pattern FORMAT = Pattern.compile("<(?:\\w+:)?FormatoTrasmissione>\\s*([A-Z0-9]+)\\s*<");

    private static final ActionSpec SPEC = ActionSpec.of("sdi-send",
                    "Send the current (signed FatturaPA) document to Italy's SDI (SdIRiceviFile, mutual TLS); exactly once per file name")
            .externalEffect()
            .parameter(ParameterSpec.required("endpoint", ParameterSpec.Type.STRING,
                    "URL of SDI's SdIRiceviFile service (SDI's test or production address, or a simulator's)"))
            .parameter(ParameterSpec.required("clientCertificate", ParameterSpec.Type.CERTIFICATE,
                    "the transmitter's certificate (with key) for mutual TLS, as issued at SDI accreditation; may use ${legalEntity}"))
            .parameter(ParameterSpec.optional("trustedCertificate", ParameterSpec.Type.CERTIFICATE, null,
                    "the CA certificate SDI's server certificate must chain to; default: hub.sdi.trusted-certificate, else the JVM's trusted authorities"))
            .parameter(ParameterSpec.optional("fileName", ParameterSpec.Type.STRING, null,
                    "SDI file name (IT<IdCodice>_<progressive>.xml or .xml.p7m); default: the current document's name"))
            .parameter(ParameterSpec.optional("timeout", ParameterSpec.Type.DURATION, "60s",
                    "how long to wait for SdIRiceviFile's answer; after it the outcome is unknown and the step reconciles"))
            .parameter(ParameterSpec.optional("connectTimeout", ParameterSpec.Type.DURATION, "10s", "TCP/TLS connect time-out"))
            .build();

    private final SdiConnections connections;
    private final SdiTransmissions transmissions;
    private final SdiProperties properties;

    public SdiSendAction(SdiConnections connections, SdiTransmissions transmissions, SdiProperties properties) {
        this.connections = connections;
        this.transmissions = transmissions;
        this.properties = properties;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public StepResult run(StepContext step) throws Exception {
        StepParameters p = step.parameters();
        String fileName = p.get("fileName").filter(n -> !n.isBlank()).orElse(step.documentName());
        Optional<String> problem = SdiFileName.invoiceNameProblem(fileName);
        if (problem.isPresent()) {
            throw new StepFailure.Permanent("not an SDI file name: " + problem.get());
        }
        byte[] file = step.document();
        if (transmissions.register(fileName, step.submission().id(), step.runNumber())
                == SdiTransmissions.Registration.TAKEN_BY_ANOTHER_SUBMISSION) {
            throw new StepFailure.Permanent("SDI file name " + fileName + " was already sent by another submission; "
                    + "SDI would refuse it as a duplicate (00002)");
        }
        step.setVariable(FILE_VARIABLE, fileName);
        step.setVariable(FORMAT_VARIABLE, format(file, fileName));
        if (step.outcomeUnknown()) {
            Optional<SdiNotification> known = firstMessage(fileName);
            if (known.isPresent()) { // SDI has the file: its messages say so, no need to send again
                record(step, fileName, known.get().identificativoSdI(), null, "found in SDI's message " + known.get().type());
                return StepResult.done();
            }
        }
        int sends = Integer.parseInt(Optional.ofNullable(step.variable(SENDS_VARIABLE)).orElse("0")) + 1;
        step.setVariable(SENDS_VARIABLE, Integer.toString(sends));
        step.recordProgress(); // from here on the outcome may be unknown: the next attempt looks before it sends again
        Duration timeout = p.getDuration("timeout", Duration.ofSeconds(60));
        Duration connect = p.getDuration("connectTimeout", Duration.ofSeconds(10));
        String endpoint = p.require("endpoint");
        String clientCertificate = p.require("clientCertificate");
        String trusted = p.get("trustedCertificate").filter(t -> !t.isBlank()).orElse(properties.trustedCertificate());
        step.storeFile("sdi-RiceviFile-request.json", "request", "application/json", request(endpoint, fileName, file, sends));
        try {
            SdiClient client = connections.client(endpoint, clientCertificate, trusted, connect, timeout);
            SdiSoap.ReceiptAnswer answer = client.send(fileName, file);
            step.storeFile("sdi-RiceviFile-response.xml", "response", "text/xml", SdiSoap.riceviFileAnswer(answer));
            record(step, fileName, answer.identificativoSdI(), answer.dataOraRicezione(), "SdIRiceviFile");
            return StepResult.done();
        } catch (SdiClient.Unknown | SdiClient.Unavailable e) {
            throw new StepFailure.Transient(e.getMessage(), null);
        } catch (SdiClient.Refused e) {
            connections.forget(endpoint, clientCertificate, trusted, connect, timeout);
            throw new StepFailure.Permanent(e.getMessage());
        } catch (SecretStore.SecretNotFoundException e) {
            throw new StepFailure.Permanent(e.getMessage());
        } catch (SecretStore.SecretStoreUnavailableException e) {
            throw new StepFailure.Transient(e.getMessage(), null); // the vault could not answer: try again
        } catch (IllegalStateException e) {
            throw new StepFailure.Permanent(e.getMessage()); // a certificate that cannot be opened (names it, never a value)
        }
    }

    /** SDI's first message about {@code fileName} that is not the 00002 of a copy: proof SDI has the file. */
    private Optional<SdiNotification> firstMessage(String fileName) {
        for (SdiTransmissions.Message m : transmissions.all(fileName)) {
            try {
                SdiNotification n = SdiNotification.parse(m.payload().getBytes(StandardCharsets.UTF_8));
                if (!SdiAwaitOutcomeAction.isDuplicateOfACopy(n)) {
                    return Optional.of(n);
                }
            } catch (SdiXml.SdiMessageException e) {
                // the endpoint keeps only messages it could read
            }
        }
        return Optional.empty();
    }

    private static void record(StepContext step, String fileName, String id, String receivedAt, String source) {
        step.setVariable(ID_VARIABLE, id);
        if (receivedAt != null) {
            step.setVariable("sdiReceivedAt", receivedAt);
        }
        if (!"SdIRiceviFile".equals(source)) {
            ObjectNode note = UnifiedJson.mapper().createObjectNode().put("fileName", fileName).put("identificativoSdI", id)
                    .put("source", source).put("note", "the answer of an earlier send was lost; SDI's message shows it has the file");
            step.storeFile("sdi-RiceviFile-reconciled.json", "response", "application/json", UnifiedJson.writePretty(note));
        }
    }

    /** What was sent (the file itself is stored already; its hash ties the two). */
    private static byte[] request(String endpoint, String fileName, byte[] file, int send) {
        ObjectNode request = UnifiedJson.mapper().createObjectNode()
                .put("operation", "SdIRiceviFile.RiceviFile")
                .put("endpoint", endpoint)
                .put("NomeFile", fileName)
                .put("fileSha256", sha256(file))
                .put("fileSize", file.length)
                .put("send", send)
                .put("sentAt", OffsetDateTime.now(ZoneOffset.UTC).toString());
        return UnifiedJson.writePretty(request);
    }

    /** FormatoTrasmissione (FPA12 or FPR12) of the file, read inside its CAdES envelope when it is a .p7m. */
    static String format(byte[] file, String fileName) {
        byte[] xml = file;
        if (SdiFileName.isSigned(fileName)) {
            try {
                CMSSignedData cms = new CMSSignedData(file);
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                cms.getSignedContent().write(content);
                xml = content.toByteArray();
            } catch (Exception e) {
                return "unknown";
            }
        }
        Matcher m = FORMAT.matcher(new String(xml, StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : "unknown";
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
