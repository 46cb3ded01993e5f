package io.einvoicinghub.sdi;

import io.einvoicinghub.sdi.simulator.SdiSimulator;
import io.einvoicinghub.sdi.simulator.SimulatorPki;
import io.einvoicinghub.secrets.KeyMaterials;
import io.einvoicinghub.secrets.TestKeyVault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Mutual TLS to SdIRiceviFile with the transmitter's certificate and SDI's CA read from Azure Key Vault (the hub's
 * Key Vault store on the real Azure SDK, against the project's local TLS Key Vault server), as Key Vault returns
 * certificates: base64 PKCS#12 secrets. The same {@link KeyMaterials#tlsContext} serves the local keystore in the other
 * SDI tests. A certificate of another CA from the same vault is refused by SDI.
 */
class SdiMutualTlsFromKeyVaultTest {

    private static final TestKeyVault VAULT = new TestKeyVault();
    private static SimulatorPki pki;
    private static SdiSimulator sdi;

    @TempDir
    static Path localDir;

    @BeforeAll
    static void start() throws Exception {
        pki = new SimulatorPki();
        sdi = new SdiSimulator(pki.simulatorSettings(URI.create("https://localhost:9/TrasmissioneFatture")))
                .notificationDelay(Duration.ofHours(1)).start(0); // no messages needed: the answer shows the channel works
        store("sdi-transmitter", pki, SimulatorPki.HUB_CLIENT, true);
        store("sdi-ca", pki, null, false);
        store("sdi-transmitter-rogue", new SimulatorPki("Rogue CA"), SimulatorPki.HUB_CLIENT, true);
    }

    @AfterAll
    static void stop() {
        sdi.close();
        VAULT.close();
    }

    /** {@code identity} (with its key) or, without one, the CA certificate alone, as a base64 PKCS#12 secret with its password. */
    private static void store(String name, SimulatorPki from, String identity, boolean withKey) throws Exception {
        String password = "p12-" + UUID.randomUUID();
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(null, null);
        if (withKey) {
            p12.setKeyEntry("1", from.identity(identity).keys().getPrivate(), password.toCharArray(),
                    from.chain(identity).toArray(new Certificate[0]));
        } else {
            p12.setCertificateEntry("1", from.caCertificate);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p12.store(out, password.toCharArray());
        VAULT.server().setSecret(name, Base64.getEncoder().encodeToString(out.toByteArray()), "application/x-pkcs12");
        VAULT.server().setSecret(name + "-password", password);
    }

    private static KeyMaterials keys() {
        return new KeyMaterials(VAULT.secretStore(Duration.ofMinutes(5)), VAULT.properties(Duration.ofMinutes(5), localDir.toString()));
    }

    private static byte[] invoice() throws Exception {
        return Files.readString(Path.of("src/test/resources/sdi/files/IT01234567890_FPR12.xml"), StandardCharsets.UTF_8)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void transmitterCertificateAndSdisCaFromKeyVaultOpenTheChannel() throws Exception {
        SdiClient client = new SdiClient(sdi.endpoint(), keys().tlsContext("sdi-transmitter", "sdi-ca"),
                Duration.ofSeconds(10), Duration.ofSeconds(30));

        SdiSoap.ReceiptAnswer answer = client.send("IT01234567890_KV001.xml", invoice());

        assertThat(answer.accepted()).isTrue();
        assertThat(answer.identificativoSdI()).matches("\\d+");
        assertThat(sdi.calls("IT01234567890_KV001.xml")).isEqualTo(1);
        assertThat(VAULT.server().secretReads()).as("read through the vault").isPositive();
    }

    @Test
    void aCertificateOfAnotherCaIsRefusedBySdi() throws Exception {
        SdiClient rogue = new SdiClient(sdi.endpoint(), keys().tlsContext("sdi-transmitter-rogue", "sdi-ca"),
                Duration.ofSeconds(10), Duration.ofSeconds(30));

        assertThatThrownBy(() -> rogue.send("IT01234567890_KV002.xml", invoice())).isInstanceOf(SdiClient.SdiException.class);
        assertThat(sdi.calls("IT01234567890_KV002.xml")).isZero();
    }

    @Test
    void aServerOutsideTheNamedCaIsNotTrusted() throws Exception {
        // trusting only the rogue PKI's chain: SDI's server certificate does not chain to it
        SdiClient client = new SdiClient(sdi.endpoint(), keys().tlsContext("sdi-transmitter", "sdi-transmitter-rogue"),
                Duration.ofSeconds(10), Duration.ofSeconds(30));

        assertThatThrownBy(() -> client.send("IT01234567890_KV003.xml", invoice())).isInstanceOf(SdiClient.Refused.class)
                .hasMessageContaining("TLS");
        assertThat(sdi.calls("IT01234567890_KV003.xml")).isZero();
    }
}
