package io.einvoicinghub.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Hands the authenticated caller to the API as a request attribute: Camel runs the routes on its own threads,
 * where the security context of the filter thread is not visible. Without credentials configured every
 * request gets {@link Caller#OPEN}.
 */
class CallerAttributeFilter extends OncePerRequestFilter {

    private final boolean open;

    CallerAttributeFilter(boolean open) {
        this.open = open;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof CallerAuthentication caller) {
            request.setAttribute(Caller.ATTRIBUTE, caller.caller());
        } else if (open) {
            request.setAttribute(Caller.ATTRIBUTE, Caller.OPEN);
        }
        chain.doFilter(request, response);
    }
}
