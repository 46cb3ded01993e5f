package io.einvoicinghub.security;

import java.util.Set;

/**
 * Who is calling the API: a name for the operator (never the credential), the legal entities the caller may
 * see and touch ({@value #ALL_LEGAL_ENTITIES} for all), and its scopes.
 */
public record Caller(String name, Set<String> legalEntities, Set<Scope> scopes) {

    public static final String ALL_LEGAL_ENTITIES = "*";
    /** The request attribute the API reads the caller from (the routes run on another thread than the filters). */
    public static final String ATTRIBUTE = Caller.class.getName();
    /** Every request when no credentials are configured (embedded defaults). */
    public static final Caller OPEN = new Caller("anonymous (no credentials configured)", Set.of(ALL_LEGAL_ENTITIES),
            Set.of(Scope.values()));

    public Caller {
        legalEntities = Set.copyOf(legalEntities);
        scopes = Set.copyOf(scopes);
    }

    public boolean mayAccess(String legalEntity) {
        return legalEntities.contains(ALL_LEGAL_ENTITIES) || legalEntities.contains(legalEntity);
    }

    /** @return the legal entities to limit a listing to, or null for all */
    public Set<String> visibleLegalEntities() {
        return legalEntities.contains(ALL_LEGAL_ENTITIES) ? null : legalEntities;
    }
}
