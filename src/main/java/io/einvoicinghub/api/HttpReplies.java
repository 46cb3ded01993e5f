package io.einvoicinghub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.submission.DocumentAlreadySubmittedException;
import io.einvoicinghub.submission.SubmissionRejectedException;
import io.einvoicinghub.submission.UnifiedJson;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.UUID;

/** Writes JSON answers and RFC 9457 problem documents; used by the API routes and their error handler. */
@Component("httpReplies")
public class HttpReplies {

    private static final Logger LOG = LoggerFactory.getLogger(HttpReplies.class);

    static void json(Exchange exchange, int status, JsonNode body) {
        clearRequestHeaders(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(UnifiedJson.writePretty(body));
    }

    /** Request headers must not echo back into the answer; only what the API sets below is sent. */
    static void clearRequestHeaders(Exchange exchange) {
        exchange.getMessage().removeHeaders("*", "Location");
    }

    static ObjectNode problem(SubmissionRejectedException e, String instance) {
        ObjectNode node = UnifiedJson.mapper().createObjectNode();
        node.put("type", ProblemType.byTitle(e.title()).map(ProblemType::uri)
                .orElseGet(() -> ProblemType.byStatus(e.httpStatus()).uri()));
        node.put("title", e.title());
        node.put("status", e.httpStatus());
        node.put("detail", e.getMessage());
        if (instance != null) {
            node.put("instance", instance);
        }
        ArrayNode errors = node.putArray("errors");
        e.errors().forEach(err -> errors.addObject().put("pointer", err.pointer()).put("message", err.message()));
        if (e instanceof DocumentAlreadySubmittedException earlier) {
            node.putObject("existing").put("id", earlier.existingId())
                    .put("href", SubmissionViews.BASE_PATH + "/" + earlier.existingId());
        }
        return node;
    }

    /** The error handler's answer: a refused request gets its reason; anything else a 500 without internals. */
    public void problem(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ObjectNode body;
        int status;
        if (cause instanceof SubmissionRejectedException rejected) {
            status = rejected.httpStatus();
            body = problem(rejected, null);
        } else {
            String incident = UUID.randomUUID().toString();
            LOG.error("Unexpected error answering {} (incident {})", exchange.getFromRouteId(), incident, cause);
            status = 500;
            body = ProblemResponses.body(ProblemType.INTERNAL_ERROR, 500,
                    "The hub could not complete the request. Quote incident " + incident + " to the operator.");
        }
        clearRequestHeaders(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
        exchange.getMessage().setBody(UnifiedJson.writePretty(body));
    }
}
