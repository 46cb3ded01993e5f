package io.einvoicinghub.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.CamelContext;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * The HTTP port opens before Camel has started the API routes (and stays open while they stop): in that
 * window the API answers 503 with {@code Retry-After}, which clients retry, instead of a 404 they would not.
 */
public class ReadinessGate extends OncePerRequestFilter {

    static final String RETRY_AFTER_SECONDS = "5";

    private final ApplicationAvailability availability;
    private final CamelContext camel;

    public ReadinessGate(ApplicationAvailability availability, CamelContext camel) {
        this.availability = availability;
        this.camel = camel;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC && camel.getStatus().isStarted()) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        ProblemResponses.write(response, ProblemType.SERVICE_UNAVAILABLE,
                "The hub is starting or stopping; retry after " + RETRY_AFTER_SECONDS + " seconds");
    }
}
