package io.einvoicinghub.ksef;

import java.net.URI;
import java.util.Locale;

/**
 * Where the KSeF 2.0 API is. The three public environments are the Ministry's (srodowiska.md); anything else
 * (the simulator, a proxy) is given as a base URL. Which one a feature talks to is configuration only.
 *
 * @param name    test, demo, production, or custom
 * @param baseUri the API root, ending in {@code /v2}; paths such as {@code /auth/challenge} are appended
 */
public record KsefEnvironment(String name, URI baseUri) {

    /** TE: integration tests, release candidates, self-signed certificates accepted; data is shared. */
    public static final KsefEnvironment TEST = new KsefEnvironment("test", URI.create("https://api-test.ksef.mf.gov.pl/v2"));
    /** DEMO (pre-production): production configuration, for the final check of an integration. */
    public static final KsefEnvironment DEMO = new KsefEnvironment("demo", URI.create("https://api-demo.ksef.mf.gov.pl/v2"));
    /** PRD: invoices with full legal effect. */
    public static final KsefEnvironment PRODUCTION = new KsefEnvironment("production", URI.create("https://api.ksef.mf.gov.pl/v2"));

    public KsefEnvironment {
        String path = baseUri.getPath() == null ? "" : baseUri.getPath();
        if (path.endsWith("/")) {
            baseUri = URI.create(baseUri.toString().replaceAll("/+$", ""));
        }
    }

    /** @param nameOrUrl {@code test}, {@code demo}, {@code production} (or {@code prd}), or an http(s) base URL */
    public static KsefEnvironment of(String nameOrUrl) {
        String value = nameOrUrl.trim();
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "test", "te" -> TEST;
            case "demo" -> DEMO;
            case "production", "prod", "prd" -> PRODUCTION;
            default -> {
                if (!value.startsWith("http://") && !value.startsWith("https://")) {
                    throw new IllegalArgumentException("KSeF environment must be test, demo, production or an http(s) URL, not '" + value + "'");
                }
                yield new KsefEnvironment("custom", URI.create(value));
            }
        };
    }

    URI resolve(String path) {
        return URI.create(baseUri + path);
    }
}
