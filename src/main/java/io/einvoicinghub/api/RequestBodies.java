package io.einvoicinghub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.submission.SubmissionRejectedException;
import io.einvoicinghub.submission.SubmissionIntake;
import io.einvoicinghub.submission.UnifiedJson;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
                    "Send the submission as application/json (got '" + printable(mime.isEmpty() ? "none" : mime) + "')");
        }
        // RFC 8259: JSON exchanged between systems is UTF-8
        requireUtf8Charset(contentType, "submission");
        return readUtf8Body(exchange, maxBytes, "Malformed JSON");
    }

    /**
     * An authority's notification for {@code POST /callbacks/{key}}: JSON or XML (SOAP included), UTF-8, at most
     * {@code maxBytes}.
     */
    static byte[] readNotification(Exchange exchange, long maxBytes) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        String mime = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        boolean json = mime.equals("application/json") || mime.endsWith("+json");
        boolean xml = mime.equals("application/xml") || mime.equals("text/xml") || mime.endsWith("+xml");
        if (!json && !xml) {
            throw new SubmissionRejectedException(415, "Unsupported media type",
                    "Send the notification as application/json or application/xml (got '"
                            + printable(mime.isEmpty() ? "none" : mime) + "')");
        }
        requireUtf8Charset(contentType, "notification");
        return readUtf8Body(exchange, maxBytes, "Invalid request");
    }

    private static void requireUtf8Charset(String contentType, String what) {
        String charset = charset(contentType);
        if (charset != null && !charset.equals("utf-8")) {
            throw new SubmissionRejectedException(415, "Unsupported media type",
                    "Send the " + what + " as UTF-8 (got charset '" + printable(charset) + "')");
        }
    }

    private static byte[] readUtf8Body(Exchange exchange, long maxBytes, String emptyTitle) {
        Long declared = exchange.getMessage().getHeader("Content-Length", Long.class);
        if (declared != null && declared > maxBytes) {
            throw new SubmissionRejectedException(413, "Payload too large",
                    "The body (" + declared + " bytes) exceeds the limit of " + maxBytes + " bytes");
        }
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
            if (in == null) {
                throw new SubmissionRejectedException(400, emptyTitle, "The request has no body");
            }
            byte[] body = readAtMost(in, maxBytes);
            if (body.length == 0) {
                throw new SubmissionRejectedException(400, emptyTitle, "The request has no body");
            }
            requireUtf8(body, emptyTitle);
            return body;
        } catch (IOException e) {
            throw new SubmissionRejectedException(400, "Unreadable body", "The body could not be read completely");
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

    /** The JSON parser would guess UTF-16/32 from the first bytes; the API takes UTF-8 only, strictly. */
    private static void requireUtf8(byte[] body, String title) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        boolean utf16Bom = body.length >= 2 && ((body[0] == (byte) 0xFE && body[1] == (byte) 0xFF)
                || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE));
        boolean nulByte = body.length >= 2 && (body[0] == 0 || body[1] == 0);
        try {
            if (utf16Bom || nulByte) {
                throw new CharacterCodingException();
            }
            decoder.decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new SubmissionRejectedException(400, title, "The body is not valid UTF-8 text");
        }
    }

    private static String charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            String p = parameter.trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("charset=")) {
                return p.substring(8).replace("\"", "").trim();
            }
        }
        return null;
    }

    /** Echoes client-supplied text in a detail only as short printable ASCII. */
    static String printable(String value) {
        String cleaned = value.replaceAll("[^\\x20-\\x7E]", "?");
        return cleaned.length() > 80 ? cleaned.substring(0, 80) + "..." : cleaned;
    }

    /** The item's size as JSON, counted without keeping the bytes. */
    static long serializedSize(JsonNode node) {
        long[] count = {0};
        try {
            UnifiedJson.mapper().writeValue(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    count[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    count[0] += len;
                }
            }, node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return count[0];
    }

    static JsonNode parseObject(byte[] body) {
        return SubmissionIntake.parseObject(body);
    }
}
