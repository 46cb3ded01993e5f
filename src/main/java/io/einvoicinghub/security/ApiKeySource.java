package io.einvoicinghub.security;

import java.util.List;

/**
 * Where the API keys come from: the configuration today ({@link PropertiesApiKeySource}); a secret store can
 * take its place by providing another bean of this type. Read on every request, so a source may change.
 */
public interface ApiKeySource {

    List<ApiKey> keys();
}
