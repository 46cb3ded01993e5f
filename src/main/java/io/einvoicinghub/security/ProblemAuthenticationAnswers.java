package io.einvoicinghub.security;

import io.einvoicinghub.api.ProblemResponses;
import io.einvoicinghub.api.ProblemType;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 401 and 403 as the API's problem documents; the reason a credential was refused is not told. */
final class ProblemAuthenticationAnswers {

    private ProblemAuthenticationAnswers() {
    }

    static AuthenticationEntryPoint unauthorized() {
        return (request, response, e) -> {
            response.setHeader("WWW-Authenticate", "Bearer");
            ProblemResponses.write(response, ProblemType.UNAUTHORIZED,
                    "Present a valid API key as 'X-API-Key: <key>' or 'Authorization: Bearer <key>', or an access token as 'Authorization: Bearer <token>'");
        };
    }

    static AccessDeniedHandler forbidden() {
        return (request, response, e) -> ProblemResponses.write(response, ProblemType.FORBIDDEN,
                "The credential lacks the scope this operation needs (submit for POST, read for GET, admin for management)");
    }
}
