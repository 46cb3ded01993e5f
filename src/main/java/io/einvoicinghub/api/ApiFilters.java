package io.einvoicinghub.api;

import org.apache.camel.CamelContext;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The servlet filters in front of the API routes; they run before authentication. */
@Configuration(proxyBeanMethods = false)
public class ApiFilters {

    @Bean
    public FilterRegistrationBean<ReadinessGate> readinessGate(ApplicationAvailability availability, CamelContext camel) {
        FilterRegistrationBean<ReadinessGate> registration = new FilterRegistrationBean<>(new ReadinessGate(availability, camel));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** Camel's route endpoint answers a write in read-only mode with a 500 and a stack trace: refuse it first. */
    @Bean
    public FilterRegistrationBean<jakarta.servlet.Filter> readOnlyRouteControl() {
        FilterRegistrationBean<jakarta.servlet.Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
            if (request instanceof jakarta.servlet.http.HttpServletRequest http && !"GET".equals(http.getMethod())
                    && !"HEAD".equals(http.getMethod())) {
                var answer = (jakarta.servlet.http.HttpServletResponse) response;
                answer.setHeader("Allow", "GET");
                ProblemResponses.write(answer, ProblemType.METHOD_NOT_ALLOWED, "Route control through the management endpoint is read-only");
                return;
            }
            chain.doFilter(request, response);
        });
        registration.addUrlPatterns("/actuator/camelroutes", "/actuator/camelroutes/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 12);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<FormBodyGuard> formBodyGuard() {
        FilterRegistrationBean<FormBodyGuard> registration = new FilterRegistrationBean<>(new FormBodyGuard());
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);
        return registration;
    }
}
