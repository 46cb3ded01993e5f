package io.einvoicinghub.secrets;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The secret store on Azure Key Vault, through the Azure SDK {@link SecretClient} (its bearer-challenge
 * authentication, retry policy and TLS).
 *
 * <p>Names: Key Vault allows only {@code [0-9a-zA-Z-]}, 1 to 127 characters. A hub name is mapped to its Key Vault
 * name by {@link #keyVaultName(String)}: every other character (such as {@code .} or {@code _}) becomes {@code -}
 * ({@code ksef-token.PL_01} → {@code ksef-token-PL-01}); names that map to the same Key Vault name are the same
 * secret. {@code name/version} reads that version, a name alone the current one.
 *
 * <p>Caching: each answer (also "no such secret") is kept for {@code cacheTime}; after that the next use asks Key
 * Vault again, so a rotated secret (a new current version) is used at the latest {@code cacheTime} after the change,
 * without a restart. A missing secret (404) is {@link Optional#empty()}, so {@link #get(String)} throws
 * {@link SecretNotFoundException} naming the secret and the vault; any other failure (network, 5xx after the SDK's
 * retries, 401/403) is a {@link SecretStoreUnavailableException} with the status and no value. Values are never
 * logged.
 */
public class AzureKeyVaultSecretStore implements SecretStore {

    private static final Logger LOG = LoggerFactory.getLogger(AzureKeyVaultSecretStore.class);
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^0-9a-zA-Z-]");
    static final int MAX_NAME_LENGTH = 127;

    private final SecretClient client;
    private final String vaultUrl;
    private final Duration cacheTime;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<Secret> secret, Instant until) {
    }

    public AzureKeyVaultSecretStore(SecretClient client, String vaultUrl, Duration cacheTime) {
        this(client, vaultUrl, cacheTime, Clock.systemUTC());
    }

    AzureKeyVaultSecretStore(SecretClient client, String vaultUrl, Duration cacheTime, Clock clock) {
        this.client = client;
        this.vaultUrl = vaultUrl;
        this.cacheTime = cacheTime;
        this.clock = clock;
    }

    /**
     * The Key Vault name of a hub secret name (without version): each character outside {@code [0-9a-zA-Z-]}
     * becomes {@code -}.
     *
     * @throws IllegalArgumentException when the name is empty or longer than Key Vault allows
     */
    public static String keyVaultName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("Secret name '" + name + "' cannot be a Key Vault name (1 to "
                    + MAX_NAME_LENGTH + " characters of [0-9a-zA-Z-])");
        }
        return NOT_ALLOWED.matcher(name).replaceAll("-");
    }

    @Override
    public Optional<Secret> find(String name) {
        Instant now = clock.instant();
        Cached cached = cache.get(name);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.secret();
        }
        Optional<Secret> fresh = fetch(name);
        cache.put(name, new Cached(fresh, now.plus(cacheTime)));
        if (cached != null && cached.secret().isPresent() && fresh.isPresent()
                && !sameVersion(cached.secret().get(), fresh.get())) {
            LOG.info("Secret '{}' has a new version in {} ({}); using it", name, describe(), fresh.get().version());
        }
        return fresh;
    }

    @Override
    public Secret get(String name) {
        return find(name).orElseThrow(() -> new SecretNotFoundException(name, describe()
                + (validName(nameOf(name)) ? ", as Key Vault secret '" + keyVaultName(nameOf(name)) + "'"
                : ", and cannot be: not 1 to " + MAX_NAME_LENGTH + " characters")));
    }

    private static boolean validName(String name) {
        return !name.isEmpty() && name.length() <= MAX_NAME_LENGTH;
    }

    private Optional<Secret> fetch(String name) {
        String bare = nameOf(name);
        String version = versionOf(name);
        if (!validName(bare)) {
            return Optional.empty();
        }
        String vaultName = keyVaultName(bare);
        try {
            KeyVaultSecret secret = client.getSecret(vaultName, version);
            if (secret.getProperties() != null && Boolean.FALSE.equals(secret.getProperties().isEnabled())) {
                return Optional.empty();
            }
            return Optional.of(new Secret(name, secret.getProperties() == null ? version : secret.getProperties().getVersion(),
                    secret.getValue()));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (HttpResponseException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            throw new SecretStoreUnavailableException(name, describe(), "HTTP " + status);
        } catch (RuntimeException e) {
            throw new SecretStoreUnavailableException(name, describe(), rootCause(e));
        }
    }

    private static boolean sameVersion(Secret a, Secret b) {
        return a.version() == null ? b.version() == null : a.version().equals(b.version());
    }

    static String nameOf(String name) {
        int slash = name.indexOf('/');
        return slash < 0 ? name : name.substring(0, slash);
    }

    static String versionOf(String name) {
        int slash = name.indexOf('/');
        return slash < 0 ? null : name.substring(slash + 1);
    }

    /** Class names only: an SDK message may quote a request or an answer. */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + " caused by " + root.getClass().getSimpleName();
    }

    @Override
    public String describe() {
        return "Azure Key Vault " + vaultUrl;
    }
}
