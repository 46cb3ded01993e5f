package io.einvoicinghub.sdi.hub;

import io.einvoicinghub.sdi.SdiClient;
import io.einvoicinghub.secrets.KeyMaterials;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SdIRiceviFile clients, one per endpoint, certificate pair and time-outs. The TLS context is built from the secret
 * store when a client is first needed (through {@link KeyMaterials}, so the local keystore and Azure Key Vault serve
 * alike); {@link #forget} drops a client after its handshake failed, so a rotated certificate is read again.
 */
@Component
public class SdiConnections {

    private record Key(String endpoint, String clientCertificate, String trustedCertificate, Duration connect, Duration timeout) {
    }

    private final KeyMaterials keys;
    private final Map<Key, SdiClient> clients = new ConcurrentHashMap<>();

    public SdiConnections(KeyMaterials keys) {
        this.keys = keys;
    }

    public SdiClient client(String endpoint, String clientCertificate, String trustedCertificate, Duration connect, Duration timeout) {
        Key key = new Key(endpoint, clientCertificate, trustedCertificate, connect, timeout);
        return clients.computeIfAbsent(key, k -> new SdiClient(URI.create(endpoint),
                keys.tlsContext(clientCertificate, trustedCertificate), connect, timeout));
    }

    public void forget(String endpoint, String clientCertificate, String trustedCertificate, Duration connect, Duration timeout) {
        clients.remove(new Key(endpoint, clientCertificate, trustedCertificate, connect, timeout));
    }
}
