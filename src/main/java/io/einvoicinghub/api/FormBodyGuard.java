package io.einvoicinghub.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Locale;

/**
 * Refuses form and multipart bodies on the API before anything parses them: the servlet container would
 * otherwise decode the whole body into request parameters, and those reach Camel headers and logs. The one
 * exception is a multipart upload of an inbound invoice file ({@link #MULTIPART_UPLOAD_PATH}), whose answer
 * carries no request header and whose text fields are ignored.
 */
public class FormBodyGuard extends OncePerRequestFilter {

    public static final String MULTIPART_UPLOAD_PATH = InboundApi.BASE_PATH + "/uploads";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT).trim();
        boolean upload = type.startsWith("multipart/form-data") && "POST".equals(request.getMethod())
                && MULTIPART_UPLOAD_PATH.equals(request.getRequestURI());
        if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/") && !upload) {
            // the body is not read; the connection is closed after the answer rather than drained
            response.setHeader("Connection", "close");
            ProblemResponses.write(response, ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "The API takes application/json; form and multipart bodies are not accepted");
            return;
        }
        chain.doFilter(request, response);
    }
}
