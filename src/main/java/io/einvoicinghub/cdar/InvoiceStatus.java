package io.einvoicinghub.cdar;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The invoice life-cycle statuses of the French reform (MDT-105 of the CDAR message), as the BR-FR-CDV Schematron
 * shipped in phive-rules-france 4.2.3 lists them (rule BR-FR-CDV-CL-06) with the labels of the external
 * specifications. The transmission statuses (MDT-77 = 305) are the platforms'; the processing statuses (23) are
 * the buyer's or, for payment received, factoring and cancellation, the seller's.
 */
public enum InvoiceStatus {

    DEPOSITED("200", "Déposée", "Deposited", Phase.TRANSMISSION, Party.PLATFORM),
    ISSUED("201", "Émise par la plateforme", "Issued by the platform", Phase.TRANSMISSION, Party.PLATFORM),
    RECEIVED("202", "Reçue par la plateforme", "Received by the platform", Phase.TRANSMISSION, Party.PLATFORM),
    MADE_AVAILABLE("203", "Mise à disposition", "Made available", Phase.TRANSMISSION, Party.PLATFORM),
    IN_HAND("204", "Prise en charge", "In hand", Phase.PROCESSING, Party.BUYER),
    APPROVED("205", "Approuvée", "Approved", Phase.PROCESSING, Party.BUYER),
    PARTIALLY_APPROVED("206", "Approuvée partiellement", "Partially approved", Phase.PROCESSING, Party.BUYER),
    DISPUTED("207", "En litige", "In dispute", Phase.PROCESSING, Party.BUYER),
    SUSPENDED("208", "Suspendue", "Suspended", Phase.PROCESSING, Party.BUYER),
    COMPLETED("209", "Complétée", "Completed", Phase.PROCESSING, Party.SELLER),
    REFUSED("210", "Refusée", "Refused", Phase.PROCESSING, Party.BUYER),
    PAYMENT_SENT("211", "Paiement transmis", "Payment sent", Phase.PROCESSING, Party.BUYER),
    PAID("212", "Encaissée", "Payment received", Phase.PROCESSING, Party.SELLER),
    REJECTED("213", "Rejetée", "Rejected", Phase.TRANSMISSION, Party.PLATFORM),
    REVIEWED("214", "Visée", "Reviewed", Phase.PROCESSING, Party.BUYER),
    CANCELLED("220", "Annulée", "Cancelled", Phase.PROCESSING, Party.SELLER),
    ROUTING_ERROR("221", "Erreur de routage", "Routing error", Phase.TRANSMISSION, Party.PLATFORM),
    DIRECT_PAYMENT_REQUESTED("224", "Demande de paiement direct", "Direct payment requested", Phase.PROCESSING, Party.SELLER),
    FACTORED("225", "Affacturée", "Factored", Phase.PROCESSING, Party.SELLER),
    FACTORED_CONFIDENTIAL("226", "Affacturée confidentiel", "Factored (confidential)", Phase.PROCESSING, Party.SELLER),
    PAYEE_CHANGED("227", "Changement de compte à payer", "Change of account payable", Phase.PROCESSING, Party.SELLER),
    NOT_FACTORED("228", "Non affacturée", "Not factored", Phase.PROCESSING, Party.SELLER);

    /** MDT-77, the acknowledgement's type code: the transmission between platforms or the parties' processing. */
    public enum Phase {
        TRANSMISSION("305"), PROCESSING("23");

        private final String typeCode;

        Phase(String typeCode) {
            this.typeCode = typeCode;
        }

        public String typeCode() {
            return typeCode;
        }
    }

    /** Who issues a status by default (the event may say otherwise); its role code in the message (UNTDID 3035). */
    public enum Party {
        PLATFORM("WK"), BUYER("BY"), SELLER("SE");

        private final String roleCode;

        Party(String roleCode) {
            this.roleCode = roleCode;
        }

        public String roleCode() {
            return roleCode;
        }
    }

    /** BR-FR-CDV-15: these need a reason code (MDT-113) from the status's own list (BR-FR-CDV-CL-09). */
    private static final Set<String> NEEDS_REASON = Set.of("206", "207", "208", "210", "213");
    /** The four statuses every platform must also report to the public portal (PPF). */
    private static final Set<String> REPORTED_TO_PPF = Set.of("200", "210", "212", "213");

    private final String code;
    private final String label;
    private final String englishLabel;
    private final Phase phase;
    private final Party defaultIssuer;

    InvoiceStatus(String code, String label, String englishLabel, Phase phase, Party defaultIssuer) {
        this.code = code;
        this.label = label;
        this.englishLabel = englishLabel;
        this.phase = phase;
        this.defaultIssuer = defaultIssuer;
    }

    public String code() {
        return code;
    }

    /** The label of the French specifications, as the message carries it (MDT-106). */
    public String label() {
        return label;
    }

    public String englishLabel() {
        return englishLabel;
    }

    public Phase phase() {
        return phase;
    }

    public Party defaultIssuer() {
        return defaultIssuer;
    }

    public boolean needsReason() {
        return NEEDS_REASON.contains(code);
    }

    /** BR-FR-CDV-14: "Encaissée" carries the amount received (characteristic MEN). */
    public boolean needsAmount() {
        return this == PAID;
    }

    /** Payment statuses carry an amount when the event gives one. */
    public boolean carriesAmount() {
        return this == PAID || this == PAYMENT_SENT;
    }

    public boolean reportedToPublicPortal() {
        return REPORTED_TO_PPF.contains(code);
    }

    public static Optional<InvoiceStatus> byCode(String code) {
        return Arrays.stream(values()).filter(s -> s.code.equals(code)).findFirst();
    }
}
