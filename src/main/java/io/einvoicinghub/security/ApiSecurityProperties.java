package io.einvoicinghub.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * {@code hub.security.api-keys}: the keys an ERP must present to use the API. Empty (the embedded default)
 * leaves the API open for local use. Keys are secrets: set them from the environment or a secret store
 * (e.g. {@code HUB_SECURITY_API_KEYS}), never in a committed file; {@link #toString()} hides them.
 */
@ConfigurationProperties(prefix = "hub.security")
public record ApiSecurityProperties(List<String> apiKeys) {

    public ApiSecurityProperties {
        apiKeys = apiKeys == null ? List.of() : apiKeys.stream().filter(k -> k != null && !k.isBlank()).toList();
    }

    public boolean enabled() {
        return !apiKeys.isEmpty();
    }

    @Override
    public String toString() {
        return "ApiSecurityProperties[apiKeys=" + apiKeys.size() + " configured]";
    }
}
