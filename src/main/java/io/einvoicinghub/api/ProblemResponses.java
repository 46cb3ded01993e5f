package io.einvoicinghub.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.submission.UnifiedJson;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Writes a problem document straight to a servlet response: for answers given before a request reaches the
 * API routes (authentication, start-up, container errors), in the same format as {@link HttpReplies}.
 */
public final class ProblemResponses {

    public static final String MEDIA_TYPE = "application/problem+json";

    private ProblemResponses() {
    }

    public static ObjectNode body(ProblemType type, int status, String detail) {
        ObjectNode node = UnifiedJson.mapper().createObjectNode();
        node.put("type", type.uri());
        node.put("title", type.title());
        node.put("status", status);
        node.put("detail", detail);
        node.putArray("errors");
        return node;
    }

    public static void write(HttpServletResponse response, ProblemType type, String detail) throws IOException {
        write(response, type, type.status(), detail);
    }

    public static void write(HttpServletResponse response, ProblemType type, int status, String detail) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        byte[] bytes = UnifiedJson.writePretty(body(type, status, detail));
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
    }
}
