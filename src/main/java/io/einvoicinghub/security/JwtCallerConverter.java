package io.einvoicinghub.security;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Maps a validated access token to a caller: legal entities and scopes from the configured claims (e.g. Entra ID
 * client credentials: app roles {@code le.DE01}, {@code submit} in the {@code roles} claim). A token naming no
 * legal entity sees nothing.
 */
class JwtCallerConverter implements Converter<Jwt, AbstractAuthenticationToken> {

    private final ApiSecurityProperties.Jwt mapping;

    JwtCallerConverter(ApiSecurityProperties.Jwt mapping) {
        this.mapping = mapping;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        Set<String> legalEntities = values(jwt, mapping.legalEntitiesClaim(), mapping.legalEntityPrefix());
        Set<Scope> scopes = new LinkedHashSet<>();
        for (String s : values(jwt, mapping.scopesClaim(), mapping.scopePrefix())) {
            Scope.parse(s).ifPresent(scopes::add);
        }
        String subject = jwt.getSubject() == null ? "unknown" : jwt.getSubject();
        return new CallerAuthentication(new Caller("jwt:" + subject, legalEntities, scopes));
    }

    private static Set<String> values(Jwt jwt, String claim, String prefix) {
        Object value = jwt.getClaims().get(claim);
        List<String> raw = value instanceof Collection<?> c ? c.stream().map(String::valueOf).toList()
                : value instanceof String s ? List.of(s.trim().split("\\s+")) : List.of();
        Set<String> out = new LinkedHashSet<>();
        for (String v : raw) {
            if (!v.isBlank() && v.startsWith(prefix)) {
                out.add(v.substring(prefix.length()));
            }
        }
        return out;
    }
}
