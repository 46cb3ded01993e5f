package io.einvoicinghub.inbound;

import io.einvoicinghub.ksef.BearerToken;
import io.einvoicinghub.ksef.InvoiceMetadata;
import io.einvoicinghub.ksef.KsefClient;
import io.einvoicinghub.ksef.KsefException;
import io.einvoicinghub.ksef.hub.KsefConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The KSeF import channel: for each configured legal entity, the purchase invoices KSeF holds for its NIP as buyer
 * (Subject2), by permanent-storage date from the saved cursor (first: the start date), page by page; each invoice is
 * downloaded and handed to {@link InboundIntake#receive} as channel {@code ksef}, source {@code <environment>/<KSeF
 * number>}, so it is taken exactly once even when fetched again; the cursor moves after the page's invoices are
 * stored. A KSeF error stops this entity's round (logged, retried at the next poll); other entities go on.
 */
public class KsefPurchaseInvoiceImport {

    private static final Logger LOG = LoggerFactory.getLogger(KsefPurchaseInvoiceImport.class);
    private static final ZoneId WARSAW = ZoneId.of("Europe/Warsaw");
    private static final int PAGE_SIZE = 100;

    private final KsefImportProperties properties;
    private final KsefConnections connections;
    private final InboundIntake intake;
    private final JdbcTemplate jdbc;

    public KsefPurchaseInvoiceImport(KsefImportProperties properties, KsefConnections connections, InboundIntake intake,
                                     JdbcTemplate jdbc) {
        this.properties = properties;
        this.connections = connections;
        this.intake = intake;
        this.jdbc = jdbc;
    }

    /** One round over every configured legal entity; returns how many new receipts it made. */
    public int pollAll() {
        int taken = 0;
        for (KsefImportProperties.Entity entity : properties.entities()) {
            try {
                taken += poll(entity);
            } catch (KsefException e) {
                LOG.warn("KSeF import for {} (NIP {}) stopped this round: {}", entity.legalEntity(), entity.nip(), e.getMessage());
                if (e.httpStatus() == 401) {
                    connections.forget(entity.environment(), entity.nip(), entity.tokenSecret());
                }
            }
        }
        return taken;
    }

    /** The entity's purchase invoices stored since its cursor; returns how many new receipts it made. */
    public int poll(KsefImportProperties.Entity entity) {
        KsefClient client = connections.client(entity.environment());
        Instant from = cursor(entity);
        int taken = 0;
        int offset = 0;
        Instant newest = from;
        while (true) {
            BearerToken token = connections.accessToken(entity.environment(), entity.nip(), entity.tokenSecret());
            InvoiceMetadata.Page page = client.queryInvoiceMetadata(token, "Subject2", "PermanentStorage", from, null, offset, PAGE_SIZE);
            for (InvoiceMetadata invoice : page.invoices()) {
                byte[] xml = client.downloadInvoice(token, invoice.ksefNumber());
                InboundIntake.IntakeResult result = intake.receive("ksef", entity.environment() + "/" + invoice.ksefNumber(),
                        invoice.ksefNumber() + ".xml", xml);
                if (result.created()) {
                    taken++;
                }
                Instant stored = OffsetDateTime.parse(invoice.permanentStorageDate()).toInstant();
                newest = stored.isAfter(newest) ? stored : newest;
            }
            if (!page.hasMore() || page.invoices().isEmpty()) {
                break;
            }
            offset++;
        }
        if (newest.isAfter(from)) {
            saveCursor(entity, newest);
        }
        if (taken > 0) {
            LOG.info("KSeF import for {} (NIP {}): {} new purchase invoice(s)", entity.legalEntity(), entity.nip(), taken);
        }
        return taken;
    }

    /** The saved position, else the start of the entity's start date in Warsaw. */
    Instant cursor(KsefImportProperties.Entity entity) {
        List<OffsetDateTime> saved = jdbc.queryForList("SELECT stored_until FROM inbound_ksef_import_cursor "
                + "WHERE legal_entity = ? AND nip = ? AND environment = ?", OffsetDateTime.class, entity.legalEntity(),
                entity.nip(), entity.environment());
        return saved.isEmpty() ? entity.startDate().atStartOfDay(WARSAW).toInstant() : saved.get(0).toInstant();
    }

    private void saveCursor(KsefImportProperties.Entity entity, Instant storedUntil) {
        OffsetDateTime until = storedUntil.atOffset(ZoneOffset.UTC);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int updated = jdbc.update("UPDATE inbound_ksef_import_cursor SET stored_until = ?, updated_at = ? "
                + "WHERE legal_entity = ? AND nip = ? AND environment = ?", until, now, entity.legalEntity(), entity.nip(),
                entity.environment());
        if (updated == 0) {
            jdbc.update("INSERT INTO inbound_ksef_import_cursor (legal_entity, nip, environment, stored_until, updated_at) "
                    + "VALUES (?,?,?,?,?)", entity.legalEntity(), entity.nip(), entity.environment(), until, now);
        }
    }
}
