package io.einvoicinghub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.submission.SubmissionRejectedException;
import io.einvoicinghub.submission.SubmissionIntake;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reads a request body defensively: JSON content type only, bounded size, parsed strictly. */
final class RequestBodies {

    private RequestBodies() {
    }

    static byte[] readJson(Exchange exchange, long maxBytes) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        String mime = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json") && !mime.endsWith("+json")) {
            throw new SubmissionRejectedException(415, "Unsupported media type",
                    "Send the submission as application/json (got '" + (contentType == null ? "none" : contentType) + "')");
        }
        Long declared = exchange.getMessage().getHeader("Content-Length", Long.class);
        if (declared != null && declared > maxBytes) {
            throw new SubmissionRejectedException(413, "Payload too large",
                    "The body (" + declared + " bytes) exceeds the limit of " + maxBytes + " bytes");
        }
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
            if (in == null) {
                throw new SubmissionRejectedException(400, "Malformed JSON", "The request has no body");
            }
            byte[] body = readAtMost(in, maxBytes);
            if (body.length == 0) {
                throw new SubmissionRejectedException(400, "Malformed JSON", "The request has no body");
            }
            return body;
        } catch (IOException e) {
            throw new SubmissionRejectedException(400, "Unreadable body", "The body could not be read: " + e.getMessage());
        }
    }

    /** Reads one byte past the limit, so a body without Content-Length is refused as soon as it is too long. */
    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        if (data.length > max) {
            throw new SubmissionRejectedException(413, "Payload too large", "The body exceeds the limit of " + max + " bytes");
        }
        return data;
    }

    static JsonNode parseObject(byte[] body) {
        return SubmissionIntake.parseObject(body);
    }
}
