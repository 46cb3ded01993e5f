package io.einvoicinghub.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * API keys from {@code hub.security.keys[n]} (hash, legal entities, scopes). The older
 * {@code hub.security.api-keys} list of plain keys still works: each is hashed at start-up and grants submit and
 * read on every legal entity, with a warning at start-up.
 */
public class PropertiesApiKeySource implements ApiKeySource {

    private final List<ApiKey> keys;

    public PropertiesApiKeySource(ApiSecurityProperties properties) {
        List<ApiKey> all = new ArrayList<>();
        for (ApiSecurityProperties.Key k : properties.keys()) {
            all.add(new ApiKey(k.name(), k.sha256(), k.legalEntities(), k.scopes()));
        }
        int n = 0;
        for (String plain : properties.apiKeys()) {
            all.add(new ApiKey("legacy-" + (++n), sha256Hex(plain), Set.of(Caller.ALL_LEGAL_ENTITIES),
                    Set.of(Scope.SUBMIT, Scope.READ)));
        }
        this.keys = List.copyOf(all);
    }

    @Override
    public List<ApiKey> keys() {
        return keys;
    }

    static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
