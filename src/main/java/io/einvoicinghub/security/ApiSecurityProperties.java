package io.einvoicinghub.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;
import java.util.Set;

/**
 * {@code hub.security}: who may use the API.
 *
 * <ul>
 *   <li>{@code keys[n]}: API keys by {@code name}, the key's {@code sha256} (hex; the key itself is never
 *   configured), its {@code legal-entities} ({@code *} for all) and {@code scopes} (submit, read, admin); e.g.
 *   {@code HUB_SECURITY_KEYS_0_NAME}, {@code HUB_SECURITY_KEYS_0_SHA256}, {@code HUB_SECURITY_KEYS_0_LEGALENTITIES},
 *   {@code HUB_SECURITY_KEYS_0_SCOPES}.</li>
 *   <li>{@code api-keys}: the older list of plain keys (submit and read on every legal entity); deprecated.</li>
 *   <li>{@code jwt}: how the claims of an OAuth2 access token map to legal entities and scopes; the issuer and
 *   keys come from {@code spring.security.oauth2.resourceserver.jwt.*}.</li>
 * </ul>
 * With neither keys nor a JWT issuer (the embedded default) the API is open; {@link #toString()} hides keys.
 */
@ConfigurationProperties(prefix = "hub.security")
public record ApiSecurityProperties(List<String> apiKeys, List<Key> keys, Jwt jwt) {

    public ApiSecurityProperties {
        apiKeys = apiKeys == null ? List.of() : apiKeys.stream().filter(k -> k != null && !k.isBlank()).toList();
        keys = keys == null ? List.of() : List.copyOf(keys);
        jwt = jwt == null ? new Jwt(null, null, null, null) : jwt;
    }

    public record Key(String name, String sha256, Set<String> legalEntities, Set<Scope> scopes) {
        public Key {
            name = name == null || name.isBlank() ? "unnamed" : name;
            legalEntities = legalEntities == null ? Set.of() : Set.copyOf(legalEntities);
            scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
        }

        @Override
        public String toString() {
            return "Key[" + name + "]";
        }
    }

    /**
     * @param legalEntitiesClaim claim holding the caller's legal entities (a list or a space-separated string)
     * @param legalEntityPrefix  only values with this prefix count, without it (e.g. {@code le.} for Entra app
     *                           roles {@code le.DE01}); empty: every value
     * @param scopesClaim        claim holding the scopes ({@code scope} or {@code scp}; {@code roles} for Entra
     *                           client credentials)
     * @param scopePrefix        as {@code legalEntityPrefix}, for scopes
     */
    public record Jwt(String legalEntitiesClaim, String legalEntityPrefix, String scopesClaim, String scopePrefix) {
        public Jwt {
            legalEntitiesClaim = legalEntitiesClaim == null || legalEntitiesClaim.isBlank() ? "legal_entities" : legalEntitiesClaim;
            legalEntityPrefix = legalEntityPrefix == null ? "" : legalEntityPrefix;
            scopesClaim = scopesClaim == null || scopesClaim.isBlank() ? "scope" : scopesClaim;
            scopePrefix = scopePrefix == null ? "" : scopePrefix;
        }
    }

    @Override
    public String toString() {
        return "ApiSecurityProperties[apiKeys=" + apiKeys.size() + " configured, keys=" + keys + ", jwt=" + jwt + "]";
    }
}
