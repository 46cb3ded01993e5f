package io.einvoicinghub.security;

import java.util.Locale;
import java.util.Set;

/**
 * One configured API key: only the SHA-256 of the key is kept (hex), with the legal entities and scopes it
 * grants. API keys are long random strings, so a fast hash is as safe as a slow one and keeps each request cheap.
 */
public record ApiKey(String name, String sha256, Set<String> legalEntities, Set<Scope> scopes) {

    public ApiKey {
        if (sha256 == null || !sha256.trim().matches("[0-9A-Fa-f]{64}")) {
            throw new IllegalArgumentException("API key '" + name + "' needs sha256: the 64 hex digits of the key's SHA-256");
        }
        sha256 = sha256.trim().toLowerCase(Locale.ROOT);
        legalEntities = Set.copyOf(legalEntities);
        scopes = Set.copyOf(scopes);
    }

    public Caller caller() {
        return new Caller("api-key:" + name, legalEntities, scopes);
    }

    @Override
    public String toString() {
        return "ApiKey[" + name + ", legalEntities=" + legalEntities + ", scopes=" + scopes + "]";
    }
}
