package io.einvoicinghub.signing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Certificate health: expiry of every keystore certificate and named secret in the health detail and the gauge. */
class CertificateHealthTest {

    @TempDir
    Path dir;

    @Test
    void everyCertificateWithItsExpiryInHealthAndGauge() throws Exception {
        TestPki pki = new TestPki(dir.resolve("secrets"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CertificateHealth health = new CertificateHealth(pki.signingCertificates(30), registry);

        Health result = health.health();
        assertThat(result.getStatus()).isEqualTo(Status.UP);
        assertThat(result.getDetails()).containsEntry("warnDays", 30);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> certificates = (Map<String, Map<String, Object>>) result.getDetails().get("certificates");
        assertThat(certificates).containsOnlyKeys(TestPki.CA, TestPki.RSA, TestPki.EC, TestPki.EXPIRED, TestPki.EXPIRING, TestPki.SECRET_RSA);
        assertThat(certificates.get(TestPki.RSA)).containsEntry("state", "valid")
                .containsEntry("notAfter", pki.certificates.get(TestPki.RSA).getNotAfter().toInstant().toString());
        assertThat((Long) certificates.get(TestPki.RSA).get("daysLeft")).isBetween(363L, 365L);
        assertThat(certificates.get(TestPki.EXPIRING)).containsEntry("state", "expiring").containsEntry("daysLeft", 10L);
        assertThat(certificates.get(TestPki.EXPIRED)).containsEntry("state", "expired");
        assertThat(certificates.get(TestPki.SECRET_RSA)).containsEntry("state", "valid");
        assertThat(certificates.get(TestPki.SECRET_RSA).get("subject").toString()).contains("CN=" + TestPki.SECRET_RSA);
        assertThat(result.getDetails().get("warnings").toString()).contains(TestPki.EXPIRING + " expiring", TestPki.EXPIRED + " expired")
                .doesNotContain(TestPki.RSA + " ");

        assertThat(registry.get(CertificateHealth.GAUGE).tag("certificate", TestPki.EXPIRING).gauge().value()).isCloseTo(10.0, within(0.1));
        assertThat(registry.get(CertificateHealth.GAUGE).tag("certificate", TestPki.EXPIRED).gauge().value()).isCloseTo(-1.0, within(0.1));
        assertThat(registry.get(CertificateHealth.GAUGE).tag("certificate", TestPki.RSA).gauge().value()).isBetween(363.0, 365.1);
    }

    @Test
    void warnDaysIsConfigurableAndAMissingNamedCertificateIsUnreadable() throws Exception {
        TestPki pki = new TestPki(dir.resolve("secrets"));
        SigningCertificates certificates = new SigningCertificates(pki.keyMaterials(),
                new CertificateProperties(5, java.util.List.of("not-there")));
        CertificateHealth health = new CertificateHealth(certificates, new SimpleMeterRegistry());
        Map<String, CertificateHealth.Status> byName = new java.util.HashMap<>();
        health.statuses().forEach(s -> byName.put(s.name(), s));
        assertThat(byName.get(TestPki.EXPIRING).state()).isEqualTo("valid"); // 10 days left, warned 5 days before
        assertThat(byName.get("not-there").state()).isEqualTo("unreadable");
        assertThat(byName.get("not-there").problem()).contains("'not-there'");
    }
}
