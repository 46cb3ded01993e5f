package io.einvoicinghub.security;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration names README.md and docs/api.md give for credentials, as an operator types them: environment
 * variables bound the way Spring Boot binds the real environment, and the key hash made the documented way.
 */
class SecurityConfigurationNamesTest {

    @Test
    void apiKeyAndJwtEnvironmentVariablesOfTheReadmeBind() {
        ApiSecurityProperties properties = bind(Map.ofEntries(
                Map.entry("HUB_SECURITY_KEYS_0_NAME", "erp-de"),
                Map.entry("HUB_SECURITY_KEYS_0_SHA256", "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"),
                Map.entry("HUB_SECURITY_KEYS_0_LEGALENTITIES", "DE01,DE02"),
                Map.entry("HUB_SECURITY_KEYS_0_SCOPES", "submit,read"),
                Map.entry("HUB_SECURITY_KEYS_1_NAME", "ops"),
                Map.entry("HUB_SECURITY_KEYS_1_SHA256", "a".repeat(64)),
                Map.entry("HUB_SECURITY_KEYS_1_LEGALENTITIES", "*"),
                Map.entry("HUB_SECURITY_KEYS_1_SCOPES", "admin"),
                Map.entry("HUB_SECURITY_JWT_LEGALENTITIESCLAIM", "roles"),
                Map.entry("HUB_SECURITY_JWT_LEGALENTITYPREFIX", "le."),
                Map.entry("HUB_SECURITY_JWT_SCOPESCLAIM", "roles")));
        assertThat(properties.keys()).hasSize(2);
        ApiSecurityProperties.Key erp = properties.keys().get(0);
        assertThat(erp.name()).isEqualTo("erp-de");
        assertThat(erp.legalEntities()).isEqualTo(Set.of("DE01", "DE02"));
        assertThat(erp.scopes()).isEqualTo(Set.of(Scope.SUBMIT, Scope.READ));
        assertThat(properties.keys().get(1).legalEntities()).isEqualTo(Set.of("*"));
        assertThat(properties.keys().get(1).scopes()).isEqualTo(Set.of(Scope.ADMIN));
        assertThat(properties.jwt().legalEntitiesClaim()).isEqualTo("roles");
        assertThat(properties.jwt().legalEntityPrefix()).isEqualTo("le.");
        assertThat(properties.jwt().scopesClaim()).isEqualTo("roles");
        assertThat(properties.jwt().scopePrefix()).isEmpty();

        // the key "abc" is accepted by the hash `printf %s abc | sha256sum` prints (FIPS 180-2 test vector), in either case
        List<ApiKey> keys = new PropertiesApiKeySource(properties).keys();
        assertThat(keys.get(0).sha256()).isEqualTo(PropertiesApiKeySource.sha256Hex("abc"));
    }

    @Test
    void jwtClaimsHaveTheDocumentedDefaultsAndPlainKeysStillBind() {
        ApiSecurityProperties properties = bind(Map.of("HUB_SECURITY_APIKEYS", "key1,key2"));
        assertThat(properties.apiKeys()).containsExactly("key1", "key2");
        assertThat(properties.jwt().legalEntitiesClaim()).isEqualTo("legal_entities");
        assertThat(properties.jwt().scopesClaim()).isEqualTo("scope");
        assertThat(properties.jwt().legalEntityPrefix()).isEmpty();
    }

    private static ApiSecurityProperties bind(Map<String, Object> environment) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
        env.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        return new Binder(ConfigurationPropertySources.get(env)).bind("hub.security", ApiSecurityProperties.class)
                .orElseGet(() -> new ApiSecurityProperties(null, null, null));
    }
}
