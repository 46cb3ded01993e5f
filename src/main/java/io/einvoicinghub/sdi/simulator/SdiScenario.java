package io.einvoicinghub.sdi.simulator;

import io.einvoicinghub.sdi.SdiNotification;

import java.util.List;

/**
 * What the simulated SDI does with a file that passed its checks (a file that fails them always gets a
 * NotificaScarto with the failed checks' codes):
 * <ul>
 *   <li>{@link Kind#DELIVER}: RicevutaConsegna (for FPA12 no outcome follows);</li>
 *   <li>{@link Kind#REJECT}: NotificaScarto with the given errors, as if SDI's checks had found them;</li>
 *   <li>{@link Kind#NOT_DELIVERABLE}: NotificaMancataConsegna; for FPA12, after the outcome delay, the
 *       AttestazioneTrasmissioneFattura (for FPR12 the MC is final: the invoice is in the buyer's reserved area);</li>
 *   <li>{@link Kind#PA_ACCEPT} / {@link Kind#PA_REFUSE}: RicevutaConsegna, then NotificaEsito EC01 / EC02;</li>
 *   <li>{@link Kind#TERMS_ELAPSED}: RicevutaConsegna, then NotificaDecorrenzaTermini.</li>
 * </ul>
 */
public record SdiScenario(Kind kind, List<SdiNotification.Error> errors, String description) {

    public enum Kind { DELIVER, REJECT, NOT_DELIVERABLE, PA_ACCEPT, PA_REFUSE, TERMS_ELAPSED }

    public static SdiScenario deliver() {
        return new SdiScenario(Kind.DELIVER, List.of(), null);
    }

    public static SdiScenario reject(SdiNotification.Error... errors) {
        return new SdiScenario(Kind.REJECT, List.of(errors), null);
    }

    public static SdiScenario notDeliverable() {
        return new SdiScenario(Kind.NOT_DELIVERABLE, List.of(), "Il destinatario non ha ricevuto il file: canale non attivo");
    }

    public static SdiScenario paAccept() {
        return new SdiScenario(Kind.PA_ACCEPT, List.of(), "Fattura accettata");
    }

    public static SdiScenario paRefuse(String reason) {
        return new SdiScenario(Kind.PA_REFUSE, List.of(), reason);
    }

    public static SdiScenario termsElapsed() {
        return new SdiScenario(Kind.TERMS_ELAPSED, List.of(), "Decorsi i termini senza esito del committente");
    }

    /** {@code deliver}, {@code reject:00305,00311}, {@code not-deliverable}, {@code pa-accept}, {@code pa-refuse}, {@code terms-elapsed}. */
    public static SdiScenario parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("reject")) {
            String codes = t.contains(":") ? t.substring(t.indexOf(':') + 1) : "00200";
            return new SdiScenario(Kind.REJECT, java.util.Arrays.stream(codes.split(","))
                    .map(String::trim).map(c -> new SdiNotification.Error(c, SdiErrors.description(c))).toList(), null);
        }
        return switch (t) {
            case "deliver" -> deliver();
            case "not-deliverable" -> notDeliverable();
            case "pa-accept" -> paAccept();
            case "pa-refuse" -> paRefuse("Fattura rifiutata dal committente");
            case "terms-elapsed" -> termsElapsed();
            default -> throw new IllegalArgumentException("unknown scenario '" + text
                    + "' (deliver, reject:CODE[,CODE], not-deliverable, pa-accept, pa-refuse, terms-elapsed)");
        };
    }
}
