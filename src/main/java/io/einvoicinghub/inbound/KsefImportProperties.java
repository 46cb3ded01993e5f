package io.einvoicinghub.inbound;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code hub.inbound.ksef-import.*}: the KSeF import channel, off unless enabled. Per legal entity the KSeF context
 * (NIP), the environment (test, demo, production or a URL), the KSeF token's secret name and the date from which
 * purchase invoices are taken.
 */
@ConfigurationProperties(prefix = "hub.inbound.ksef-import")
public record KsefImportProperties(Boolean enabled, Duration pollInterval, List<Entity> entities) {

    public KsefImportProperties {
        enabled = enabled != null && enabled;
        pollInterval = pollInterval == null ? Duration.ofMinutes(15) : pollInterval;
        entities = entities == null ? List.of() : List.copyOf(entities);
    }

    /**
     * @param legalEntity the hub's legal entity (its buyer mapping routes the receipts, e.g. vat-ids PL + NIP)
     * @param nip         the KSeF context: purchase invoices are those with this NIP as buyer (Subject2)
     * @param tokenSecret name of the KSeF token in the secret store (never the token itself)
     * @param startDate   purchase invoices stored in KSeF from this day (Europe/Warsaw) on
     */
    public record Entity(String legalEntity, String nip, String environment, String tokenSecret, LocalDate startDate) {
    }
}
