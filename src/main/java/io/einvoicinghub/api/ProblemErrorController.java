package io.einvoicinghub.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's error page: an error the container or Spring MVC answers itself (unknown path, wrong
 * method, a request rejected before it reaches a route) becomes the same problem document as the API's own
 * refusals. Neither the exception nor its message is shown: they can name internals.
 */
@RestController
public class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    public ResponseEntity<byte[]> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i && i >= 400 ? i : 500;
        ProblemType type = ProblemType.byStatus(status);
        return ResponseEntity.status(status).contentType(MediaType.valueOf(ProblemResponses.MEDIA_TYPE))
                .body(io.einvoicinghub.submission.UnifiedJson.writePretty(ProblemResponses.body(type, status, detail(type, status))));
    }

    static String detail(ProblemType type, int status) {
        return switch (type) {
            case NOT_FOUND -> "No such resource; the API is under /api/v1 (see /api/v1/openapi.yaml)";
            case METHOD_NOT_ALLOWED -> "This resource does not support the request's method";
            case INVALID_REQUEST -> "The request could not be understood (e.g. an encoded '/' or an invalid character in the path)";
            case INTERNAL_ERROR -> "The hub could not complete the request";
            default -> HttpStatus.resolve(status) == null ? "HTTP " + status : HttpStatus.valueOf(status).getReasonPhrase();
        };
    }
}
