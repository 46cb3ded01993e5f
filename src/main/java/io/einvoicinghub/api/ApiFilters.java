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

    @Bean
    public FilterRegistrationBean<FormBodyGuard> formBodyGuard() {
        FilterRegistrationBean<FormBodyGuard> registration = new FilterRegistrationBean<>(new FormBodyGuard());
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);
        return registration;
    }
}
