package io.einvoicinghub.api;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Tomcat's own error answers (a request refused before it reaches Spring, e.g. {@code %2F} in the path or a
 * malformed request line) as a problem document instead of Tomcat's HTML page.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ProblemType type = ProblemType.byStatus(status);
        byte[] body = io.einvoicinghub.submission.UnifiedJson.writePretty(
                ProblemResponses.body(type, status, ProblemErrorController.detail(type, status)));
        try {
            response.setContentType(ProblemResponses.MEDIA_TYPE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response is already on its way: nothing more to say
        }
    }
}
