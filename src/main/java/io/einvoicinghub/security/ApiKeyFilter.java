package io.einvoicinghub.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

/**
 * Lets a request to the ERP API through only with a configured key, as {@code Authorization: Bearer <key>} or
 * {@code X-API-Key: <key>}. The specification and the JSON Schema stay readable without one. Keys are
 * compared in constant time and never logged.
 */
public class ApiKeyFilter extends OncePerRequestFilter {

    private static final Set<String> PUBLIC_PATHS = Set.of("/api/v1/openapi.yaml", "/api/v1/schema/unified-submission.schema.json");

    private final List<byte[]> keys;

    public ApiKeyFilter(ApiSecurityProperties properties) {
        this.keys = properties.apiKeys().stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return keys.isEmpty() || !request.getRequestURI().startsWith("/api/")
                || ("GET".equals(request.getMethod()) && PUBLIC_PATHS.contains(request.getRequestURI()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (accepted(presentedKey(request))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(401);
        response.setHeader("WWW-Authenticate", "Bearer");
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"Present an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'\",\"errors\":[]}");
    }

    private static String presentedKey(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return request.getHeader("X-API-Key");
    }

    private boolean accepted(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] key : keys) {
            match |= MessageDigest.isEqual(key, candidate);
        }
        return match;
    }
}
