package io.einvoicinghub.signing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * {@code hub.certificates.*}: certificate health.
 *
 * <pre>
 * hub.certificates.warn-days=30          a certificate this close to its expiry is reported (health WARNING, log line)
 * hub.certificates.names=it-signing,...   certificates held as secrets (base64 PKCS#12) to watch besides the local keystore
 * </pre>
 */
@ConfigurationProperties(prefix = "hub.certificates")
public record CertificateProperties(@DefaultValue("30") int warnDays, @DefaultValue List<String> names) {

    public CertificateProperties {
        if (warnDays < 0) {
            throw new IllegalArgumentException("hub.certificates.warn-days must not be negative, not " + warnDays);
        }
        names = names == null ? List.of() : List.copyOf(names);
    }
}
