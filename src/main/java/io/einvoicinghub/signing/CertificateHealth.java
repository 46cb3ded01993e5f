package io.einvoicinghub.signing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Certificate health: every certificate of the local keystore and each name in {@code hub.certificates.names}
 * (certificates held as secrets), with subject, expiry and days left, as the actuator health component
 * {@code certificates} and as the gauge {@code hub.certificate.days.to.expiry} (tag {@code certificate}; negative once
 * expired, NaN when unreadable). A certificate within {@code hub.certificates.warn-days} of its expiry is
 * {@code expiring}, one past it {@code expired}; both are listed under {@code warnings} and logged once a day. The
 * component stays UP: the hub still runs, and the signing step itself refuses an expired certificate.
 */
@Component("certificates")
public class CertificateHealth extends AbstractHealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateHealth.class);
    private static final Duration REFRESH = Duration.ofMinutes(1);
    public static final String GAUGE = "hub.certificate.days.to.expiry";

    /** One watched certificate now. {@code state}: valid, expiring, expired, unreadable. */
    public record Status(String name, String subject, Instant notAfter, double daysLeft, String state, String problem) {
    }

    private final SigningCertificates certificates;
    private final MeterRegistry registry;
    private final Map<String, Status> latest = new ConcurrentHashMap<>();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> warned = new ConcurrentHashMap<>();
    private volatile Instant refreshed = Instant.EPOCH;

    public CertificateHealth(SigningCertificates certificates, MeterRegistry registry) {
        super("Certificate health check failed");
        this.certificates = certificates;
        this.registry = registry;
        refresh();
    }

    /** The watched certificates, read again when the last look is older than a minute. */
    public List<Status> statuses() {
        if (Instant.now().isAfter(refreshed.plus(REFRESH))) {
            refresh();
        }
        return certificates.watched().stream().map(latest::get).filter(java.util.Objects::nonNull).toList();
    }

    public synchronized void refresh() {
        Instant now = certificates.now();
        for (String name : certificates.watched()) {
            Status status = look(name, now);
            latest.put(name, status);
            if (gauged.add(name)) {
                Gauge.builder(GAUGE, latest, m -> m.containsKey(name) ? m.get(name).daysLeft() : Double.NaN)
                        .tag("certificate", name).description("days until the certificate expires (negative: expired)")
                        .baseUnit("days").register(registry);
            }
            if (!"valid".equals(status.state()) && warned.getOrDefault(name, Instant.EPOCH).isBefore(now.minus(Duration.ofDays(1)))) {
                warned.put(name, now);
                LOG.warn("Certificate '{}' is {}{}", name, status.state(), status.problem() != null ? ": " + status.problem()
                        : " (expires " + SigningCertificates.day(status.notAfter()) + ", " + (long) Math.floor(status.daysLeft()) + " days left)");
            }
        }
        latest.keySet().retainAll(Set.copyOf(certificates.watched()));
        refreshed = Instant.now();
    }

    private Status look(String name, Instant now) {
        X509Certificate certificate;
        try {
            certificate = certificates.keys().certificateChain(name).get(0);
        } catch (RuntimeException e) {
            return new Status(name, null, null, Double.NaN, "unreadable", e.getMessage());
        }
        Instant notAfter = certificate.getNotAfter().toInstant();
        double days = Duration.between(now, notAfter).toSeconds() / 86400.0;
        String state = now.isAfter(notAfter) ? "expired" : days <= certificates.warnDays() ? "expiring" : "valid";
        return new Status(name, certificate.getSubjectX500Principal().getName(), notAfter, Math.floor(days * 10) / 10, state, null);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<Status> statuses = statuses();
        Map<String, Object> list = new LinkedHashMap<>();
        List<String> warnings = new java.util.ArrayList<>();
        for (Status s : statuses) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("state", s.state());
            if (s.subject() != null) {
                detail.put("subject", s.subject());
                detail.put("notAfter", s.notAfter().toString());
                detail.put("daysLeft", (long) Math.floor(s.daysLeft()));
            }
            if (s.problem() != null) {
                detail.put("problem", s.problem());
            }
            list.put(s.name(), detail);
            if (!"valid".equals(s.state())) {
                warnings.add(s.name() + " " + s.state());
            }
        }
        builder.up().withDetail("warnDays", certificates.warnDays()).withDetail("certificates", list);
        if (!warnings.isEmpty()) {
            builder.withDetail("warnings", warnings);
        }
    }
}
