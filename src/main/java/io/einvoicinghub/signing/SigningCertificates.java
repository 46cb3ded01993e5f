package io.einvoicinghub.signing;

import io.einvoicinghub.processing.action.StepFailure;
import io.einvoicinghub.secrets.KeyMaterials;
import io.einvoicinghub.secrets.SecretStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Opens signing keys for the signing actions and refuses a certificate that cannot sign now: missing,
 * without private key, expired or not yet valid (a permanent step failure naming the certificate and the
 * date). A certificate within {@code hub.certificates.warn-days} of its expiry still signs, with a warning
 * in the log.
 */
@Component
@EnableConfigurationProperties(CertificateProperties.class)
public class SigningCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(SigningCertificates.class);

    private final KeyMaterials keys;
    private final CertificateProperties properties;
    private final Clock clock;

    @Autowired
    public SigningCertificates(KeyMaterials keys, CertificateProperties properties) {
        this(keys, properties, Clock.systemUTC());
    }

    SigningCertificates(KeyMaterials keys, CertificateProperties properties, Clock clock) {
        this.keys = keys;
        this.properties = properties;
        this.clock = clock;
    }

    public KeyMaterials keys() {
        return keys;
    }

    public int warnDays() {
        return properties.warnDays();
    }

    public Instant now() {
        return clock.instant();
    }

    /** The signing token of certificate {@code name}, checked to be usable now. Close it after use. */
    public KeyMaterials.SigningToken open(String name) throws StepFailure.Permanent {
        KeyMaterials.SigningToken token;
        try {
            token = keys.signingToken(name);
        } catch (SecretStore.SecretNotFoundException e) {
            throw new StepFailure.Permanent("Signing certificate '" + name + "' is missing: neither the local keystore nor the secret store has it");
        } catch (IllegalStateException e) {
            throw new StepFailure.Permanent(e.getMessage());
        }
        try {
            requireValid(name, token.key().getCertificate().getCertificate());
        } catch (StepFailure.Permanent e) {
            token.close();
            throw e;
        }
        return token;
    }

    /** @throws StepFailure.Permanent when {@code certificate} is expired or not yet valid */
    public void requireValid(String name, X509Certificate certificate) throws StepFailure.Permanent {
        Instant now = clock.instant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        Instant notBefore = certificate.getNotBefore().toInstant();
        if (now.isAfter(notAfter)) {
            throw new StepFailure.Permanent("Signing certificate '" + name + "' (" + certificate.getSubjectX500Principal().getName()
                    + ") expired on " + day(notAfter) + ": renew it and store the new one under the same name");
        }
        if (now.isBefore(notBefore)) {
            throw new StepFailure.Permanent("Signing certificate '" + name + "' is not valid before " + day(notBefore));
        }
        long days = daysLeft(certificate);
        if (days <= properties.warnDays()) {
            LOG.warn("Signing certificate '{}' expires in {} days ({}): renew it", name, days, day(notAfter));
        }
    }

    public long daysLeft(X509Certificate certificate) {
        return Duration.between(clock.instant(), certificate.getNotAfter().toInstant()).toDays();
    }

    /** Every certificate name to watch: the local keystore's aliases and {@code hub.certificates.names}. */
    public List<String> watched() {
        Set<String> names = new LinkedHashSet<>(keys.keystoreAliases());
        names.addAll(properties.names());
        return List.copyOf(names);
    }

    static LocalDate day(Instant instant) {
        return instant.atZone(ZoneOffset.UTC).toLocalDate();
    }
}
