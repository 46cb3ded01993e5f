package io.einvoicinghub.secrets;

import java.util.Optional;

/**
 * Where the hub keeps every password, token, API key, SAS token and certificate; configuration and feature
 * routes name entries, never hold values. A name may carry a version ({@code ksef-token/3f2a…}); without
 * one the current version is used, so a rotated secret is picked up without a restart (within the cache
 * time of the backend). Values never appear in logs, answers, stored files or exception messages.
 */
public interface SecretStore {

    /** @return the secret's current (or named) version, or empty when the store has no such entry */
    Optional<Secret> find(String name);

    /** @throws SecretNotFoundException naming the entry (not its value) and the backend */
    default Secret get(String name) {
        return find(name).orElseThrow(() -> new SecretNotFoundException(name, describe()));
    }

    default boolean exists(String name) {
        return find(name).isPresent();
    }

    /** For messages: which backend and where, e.g. "local (data/secrets)" or "Azure Key Vault https://x.vault.azure.net". */
    String describe();

    /** A secret value with the version it came from; {@link #toString()} never shows the value. */
    record Secret(String name, String version, String value) {
        @Override
        public String toString() {
            return "Secret[" + name + (version == null ? "" : "/" + version) + "]";
        }
    }

    class SecretNotFoundException extends IllegalStateException {
        public SecretNotFoundException(String name, String backend) {
            super("Secret '" + name + "' is not in the secret store (" + backend + ")");
        }
    }

    /** The backend could not answer (network, authentication, server error): names the entry and why, never a value. */
    class SecretStoreUnavailableException extends IllegalStateException {
        public SecretStoreUnavailableException(String name, String backend, String reason) {
            super("The secret store (" + backend + ") could not give secret '" + name + "' (" + reason + ")");
        }
    }
}
