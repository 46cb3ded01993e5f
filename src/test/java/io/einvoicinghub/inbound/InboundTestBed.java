package io.einvoicinghub.inbound;

import io.einvoicinghub.fidelity.FeatureRendering;
import io.einvoicinghub.fidelity.PinnedFeature;
import io.einvoicinghub.reader.UnifiedDocumentReader;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.storage.LocalFolderArtifactStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.List;

/**
 * The inbound intake without Spring: a real database (migrated by Flyway), a local-folder store, the official
 * rules (shared with the fidelity tests, so each rule set compiles once per JVM) and the real reader.
 */
final class InboundTestBed {

    static final InboundProperties.LegalEntityMapping DE01 = new InboundProperties.LegalEntityMapping("DE01",
            List.of("0088:4000001987658"), List.of(), List.of());
    static final InboundProperties.LegalEntityMapping AT01 = new InboundProperties.LegalEntityMapping("AT01",
            List.of(), List.of("ATU12345678"), List.of());
    static final InboundProperties.LegalEntityMapping US01 = new InboundProperties.LegalEntityMapping("US01",
            List.of(), List.of(), List.of("0614141000012"));

    private static final UnifiedDocumentReader READER = new UnifiedDocumentReader(FeatureRendering.PROCESSOR);

    final DataSource dataSource;
    final JdbcTemplate jdbc;
    final ArtifactStore store;
    final InboundReceipts receipts;

    InboundTestBed(DataSource dataSource, Path storageRoot) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.store = new LocalFolderArtifactStore(storageRoot);
        this.receipts = new InboundReceipts(jdbc);
    }

    InboundIntake intake(InboundProperties.LegalEntityMapping... mappings) {
        return intake(InboundProperties.DEFAULT_MAX_FILE_BYTES, mappings);
    }

    InboundIntake intake(long maxFileBytes, InboundProperties.LegalEntityMapping... mappings) {
        InboundProperties properties = new InboundProperties(maxFileBytes, List.of(mappings));
        return new InboundIntake(store, receipts, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                new FormatDetector(), FeatureRendering.RULES, READER, new LegalEntityRouter(properties), properties);
    }

    /** With a detector and archive limits of the test's choosing (bad-input tests use small limits). */
    InboundIntake intake(long maxFileBytes, ArchiveLimits archives, InboundProperties.LegalEntityMapping... mappings) {
        InboundProperties properties = new InboundProperties(maxFileBytes, List.of(mappings));
        return new InboundIntake(store, receipts, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                new FormatDetector(new EnvelopeSignatureCheck(), maxFileBytes), FeatureRendering.RULES, READER,
                new LegalEntityRouter(properties), properties, new ArchiveUnpacker(archives, maxFileBytes));
    }

    /** A bundled sample as the outbound feature writes it. */
    static byte[] rendered(String sample, PinnedFeature feature) {
        return FeatureRendering.render(feature, FeatureRendering.read(Path.of("samples/valid", sample)));
    }
}
