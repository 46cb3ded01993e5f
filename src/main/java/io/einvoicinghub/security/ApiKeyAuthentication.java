package io.einvoicinghub.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * API keys, presented as {@code X-API-Key: <key>} or {@code Authorization: Bearer <key>} (a bearer value shaped
 * like a JWT goes to the token check instead). The presented key is hashed and compared with every configured
 * hash in constant time; it is never logged or kept.
 */
final class ApiKeyAuthentication {

    private ApiKeyAuthentication() {
    }

    /** Not yet checked: the presented key. */
    static final class Presented extends AbstractAuthenticationToken {
        private final transient String key;

        Presented(String key) {
            super(List.of());
            this.key = key;
        }

        @Override
        public Object getCredentials() {
            return key;
        }

        @Override
        public Object getPrincipal() {
            return "api-key";
        }

        @Override
        public String toString() {
            return "ApiKeyAuthentication.Presented[hidden]";
        }
    }

    static AuthenticationConverter converter(boolean jwtEnabled) {
        return request -> {
            String key = presentedKey(request, jwtEnabled);
            return key == null ? null : new Presented(key);
        };
    }

    static String presentedKey(HttpServletRequest request, boolean jwtEnabled) {
        String header = request.getHeader(ApiSecurityConfiguration.API_KEY_HEADER);
        if (header != null && !header.isBlank()) {
            return header.trim();
        }
        String bearer = bearer(request);
        return bearer != null && !(jwtEnabled && looksLikeJwt(bearer)) ? bearer : null;
    }

    static String bearer(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String value = authorization.substring(7).trim();
            return value.isEmpty() ? null : value;
        }
        return null;
    }

    /** A compact JWS: three base64url parts separated by dots; API keys have no dots. */
    static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    static AuthenticationProvider provider(ApiKeySource source) {
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                byte[] presented = sha256(((Presented) authentication).key);
                ApiKey match = null;
                for (ApiKey key : source.keys()) {
                    // every key is compared, so the time taken does not tell which one (or whether one) matched
                    if (MessageDigest.isEqual(HexFormat.of().parseHex(key.sha256()), presented) && match == null) {
                        match = key;
                    }
                }
                if (match == null) {
                    throw new BadCredentialsException("Unknown API key");
                }
                return new CallerAuthentication(match.caller());
            }

            @Override
            public boolean supports(Class<?> type) {
                return Presented.class.isAssignableFrom(type);
            }
        };
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
