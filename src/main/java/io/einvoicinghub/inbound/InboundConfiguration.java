package io.einvoicinghub.inbound;

import io.einvoicinghub.reader.UnifiedDocumentReader;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.validation.OfficialRulesValidator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the inbound intake from the hub's storage, database and official validation engine. */
@Configuration
public class InboundConfiguration {

    @Bean
    public InboundIntake inboundIntake(ArtifactStore store, InboundReceipts receipts, PlatformTransactionManager tm,
                                       OfficialRulesValidator validator, InboundProperties properties,
                                       ArchiveLimits archiveLimits) {
        return new InboundIntake(store, receipts, new TransactionTemplate(tm),
                new FormatDetector(new EnvelopeSignatureCheck(), properties.maxFileBytes()), validator,
                new UnifiedDocumentReader(), new LegalEntityRouter(properties), properties,
                new ArchiveUnpacker(archiveLimits, properties.maxFileBytes()));
    }

    /** The KSeF import channel's work (routes/inbound/ksef-import.camel.yaml runs it when enabled). */
    @Bean
    public KsefPurchaseInvoiceImport ksefPurchaseInvoiceImport(KsefImportProperties properties,
                                                               io.einvoicinghub.ksef.hub.KsefConnections connections,
                                                               InboundIntake inboundIntake,
                                                               org.springframework.jdbc.core.JdbcTemplate jdbc) {
        return new KsefPurchaseInvoiceImport(properties, connections, inboundIntake, jdbc);
    }
}
