package io.einvoicinghub.cdar;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * One life-cycle event of an invoice, everything a CDAR message says about it: which invoice (number, issue date,
 * type code, seller), the status, who issues it, when, why (reason code and text) and, for payments, how much.
 *
 * @param messageId null for the hub's own ({@code <invoice number>_<status>_<time>})
 * @param issuer    who issues the status; null for the status's default ({@link InvoiceStatus#defaultIssuer()})
 */
public record StatusEvent(InvoiceStatus status, OffsetDateTime statusAt, InvoiceStatus.Party issuer, Invoice invoice,
                          TradeParty seller, TradeParty buyer, String reasonCode, String reasonText, String amount,
                          String currency, String messageId) {

    /** The invoice referred to (MDT-87 number, MDG-35 issue date, MDT-91 type code). */
    public record Invoice(String number, LocalDate issueDate, String typeCode) {
    }

    /**
     * A party: its global id with the ICD scheme (0002 for a SIREN), name, and electronic address with its EAS
     * scheme (a recipient other than a platform needs one: BR-FR-CDV-08).
     */
    public record TradeParty(String id, String scheme, String name, String uri, String uriScheme) {
    }

    public InvoiceStatus.Party issuingParty() {
        return issuer != null ? issuer : status.defaultIssuer();
    }
}
