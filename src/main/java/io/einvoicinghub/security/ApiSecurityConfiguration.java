package io.einvoicinghub.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

import java.util.List;

/**
 * Who may call what. The API needs an API key or an OAuth2 access token (JWT) with the operation's scope:
 * {@code submit} for POST, {@code read} for GET, {@code admin} for the management endpoints; the caller then
 * sees only its legal entities (the API answers 404 for others' submissions). The specification, the JSON Schema,
 * the health status and the console's static pages need nothing. Without any credential configured the hub is
 * open, as on the embedded defaults, and says so in the log.
 */
@Configuration(proxyBeanMethods = false)
public class ApiSecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ApiSecurityConfiguration.class);
    /** The header an API key may come in (besides {@code Authorization: Bearer}). */
    public static final String API_KEY_HEADER = "X-API-Key";
    /** GET paths (Ant patterns) anyone may call, with or without a credential. */
    public static final List<String> PUBLIC_GET_PATHS = List.of("/api/v1/openapi.yaml", "/api/v1/schema/**",
            "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness", "/", "/index.html",
            "/console/**", "/webjars/**", "/assets/**", "/favicon.ico", "/error");
    private static final String[] PUBLIC = PUBLIC_GET_PATHS.toArray(String[]::new);

    @Bean
    @ConditionalOnMissingBean
    public ApiKeySource apiKeySource(ApiSecurityProperties properties) {
        return new PropertiesApiKeySource(properties);
    }

    @Bean
    public SecurityFilterChain hubSecurity(HttpSecurity http, ApiSecurityProperties properties, ApiKeySource keys,
                                           ObjectProvider<JwtDecoder> jwtDecoder) throws Exception {
        boolean jwt = jwtDecoder.getIfAvailable() != null;
        boolean secured = jwt || !keys.keys().isEmpty();
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(e -> e.authenticationEntryPoint(ProblemAuthenticationAnswers.unauthorized())
                        .accessDeniedHandler(ProblemAuthenticationAnswers.forbidden()))
                .addFilterAfter(new CallerAttributeFilter(!secured), AuthorizationFilter.class);
        if (!secured) {
            LOG.warn("No API key and no JWT issuer configured: the API and the management endpoints are open to "
                    + "anyone who reaches this port. Configure hub.security.keys or "
                    + "spring.security.oauth2.resourceserver.jwt before exposing the hub (docs/api.md, Authentication)");
            http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
            return http.build();
        }
        if (!properties.apiKeys().isEmpty()) {
            LOG.warn("hub.security.api-keys holds {} plain key(s) with submit and read on every legal entity; "
                    + "configure hub.security.keys (hashed, per legal entity) instead", properties.apiKeys().size());
        }
        LOG.info("The API requires credentials: {} API key(s){}", keys.keys().size(), jwt ? " and JWT access tokens" : "");

        AuthenticationFilter apiKeys = new AuthenticationFilter(new ProviderManager(ApiKeyAuthentication.provider(keys)),
                ApiKeyAuthentication.converter(jwt));
        apiKeys.setRequestMatcher(new OrRequestMatcher(new AntPathRequestMatcher("/api/**"), new AntPathRequestMatcher("/actuator/**")));
        apiKeys.setSuccessHandler((request, response, authentication) -> { });
        apiKeys.setFailureHandler((request, response, e) -> ProblemAuthenticationAnswers.unauthorized().commence(request, response, e));
        http.addFilterBefore(apiKeys, AnonymousAuthenticationFilter.class);
        if (jwt) {
            DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
            http.oauth2ResourceServer(o -> o
                    .bearerTokenResolver(request -> {
                        String token = ApiKeyAuthentication.bearer(request);
                        return token != null && ApiKeyAuthentication.looksLikeJwt(token) ? bearer.resolve(request) : null;
                    })
                    .jwt(j -> j.jwtAuthenticationConverter(new JwtCallerConverter(properties.jwt())))
                    .authenticationEntryPoint(ProblemAuthenticationAnswers.unauthorized())
                    .accessDeniedHandler(ProblemAuthenticationAnswers.forbidden()));
        }
        String submit = Scope.SUBMIT.authority();
        String read = Scope.READ.authority();
        String admin = Scope.ADMIN.authority();
        http.authorizeHttpRequests(a -> a
                .requestMatchers(HttpMethod.GET, PUBLIC).permitAll()
                .requestMatchers("/error").permitAll()
                .requestMatchers("/actuator/**").hasAuthority(admin)
                .requestMatchers(HttpMethod.POST, "/api/**").hasAnyAuthority(submit, admin)
                .requestMatchers(HttpMethod.GET, "/api/**").hasAnyAuthority(read, admin)
                .requestMatchers("/api/**").authenticated()
                .anyRequest().permitAll());
        return http.build();
    }
}
