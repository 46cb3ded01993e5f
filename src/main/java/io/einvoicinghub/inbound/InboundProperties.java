package io.einvoicinghub.inbound;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * {@code hub.inbound.*}: the size limit for one received file and which of our legal entities a buyer is.
 *
 * @param maxFileBytes  a larger file is kept but not read (receipt Failed with the reason)
 * @param legalEntities per legal entity the buyer identifiers that address it
 */
@ConfigurationProperties(prefix = "hub.inbound")
public record InboundProperties(Long maxFileBytes, List<LegalEntityMapping> legalEntities) {

    public static final long DEFAULT_MAX_FILE_BYTES = 20L * 1024 * 1024;

    public InboundProperties {
        maxFileBytes = maxFileBytes == null || maxFileBytes <= 0 ? DEFAULT_MAX_FILE_BYTES : maxFileBytes;
        legalEntities = legalEntities == null ? List.of() : List.copyOf(legalEntities);
    }

    /**
     * @param id          the hub's legal entity id (as in the ERP API)
     * @param endpointIds buyer electronic addresses (BT-49) as {@code scheme:id}, e.g. {@code 0088:4000001987658}
     * @param vatIds      buyer VAT identifiers (BT-48), e.g. {@code DE987654321}
     * @param glns        buyer GLNs (13 digits) given as buyer identifier (BT-46), legal registration (BT-47) or
     *                    electronic address with scheme 0088
     */
    public record LegalEntityMapping(String id, List<String> endpointIds, List<String> vatIds, List<String> glns) {
        public LegalEntityMapping {
            endpointIds = endpointIds == null ? List.of() : List.copyOf(endpointIds);
            vatIds = vatIds == null ? List.of() : List.copyOf(vatIds);
            glns = glns == null ? List.of() : List.copyOf(glns);
        }
    }
}
