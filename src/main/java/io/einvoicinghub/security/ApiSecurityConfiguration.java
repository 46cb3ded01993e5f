package io.einvoicinghub.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
public class ApiSecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ApiSecurityConfiguration.class);

    @Bean
    public FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(ApiSecurityProperties properties) {
        if (properties.enabled()) {
            LOG.info("The ERP API requires an API key ({} configured)", properties.apiKeys().size());
        } else {
            LOG.warn("No hub.security.api-keys configured: the ERP API is open; set keys before exposing the hub");
        }
        FilterRegistrationBean<ApiKeyFilter> registration = new FilterRegistrationBean<>(new ApiKeyFilter(properties));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
