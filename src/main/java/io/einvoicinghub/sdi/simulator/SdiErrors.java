package io.einvoicinghub.sdi.simulator;

import java.util.Map;

/** The SDI error codes the simulator's checks raise, with SDI's descriptions (Specifiche tecniche, "elenco controlli"). */
public final class SdiErrors {

    public static final String INVALID_NAME = "00001";
    public static final String DUPLICATE_NAME = "00002";
    public static final String CERTIFICATE_EXPIRED = "00100";
    public static final String SIGNATURE_INVALID = "00102";
    public static final String UNTRUSTED_CA = "00104";
    public static final String NOT_CONFORMANT = "00200";
    public static final String RECIPIENT_CODE_INVALID = "00311";
    public static final String DATE_AFTER_RECEIPT = "00403";
    public static final String DUPLICATE_INVOICE = "00404";
    public static final String NUMBER_WITHOUT_DIGITS = "00425";
    public static final String RECIPIENT_CODE_LENGTH = "00427";
    public static final String TRANSMISSION_FORMAT = "00428";

    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(INVALID_NAME, "Nome file non valido"),
            Map.entry(DUPLICATE_NAME, "Nome file duplicato"),
            Map.entry(CERTIFICATE_EXPIRED, "Certificato di firma scaduto"),
            Map.entry(SIGNATURE_INVALID, "File non integro (firma non valida)"),
            Map.entry(UNTRUSTED_CA, "La CA (Certification Authority) che ha rilasciato il certificato di firma non è tra quelle abilitate"),
            Map.entry(NOT_CONFORMANT, "File non conforme al formato"),
            Map.entry("00300", "1.1.1.2 <IdCodice> non valido"),
            Map.entry("00305", "1.4.1.1.2 <IdCodice> non valido"),
            Map.entry(RECIPIENT_CODE_INVALID, "1.1.4 <CodiceDestinatario> non valido"),
            Map.entry(DATE_AFTER_RECEIPT, "2.1.1.3 <Data> successiva alla data di ricezione"),
            Map.entry(DUPLICATE_INVOICE, "Fattura duplicata"),
            Map.entry(NUMBER_WITHOUT_DIGITS, "2.1.1.4 <Numero> non contenente caratteri numerici"),
            Map.entry(RECIPIENT_CODE_LENGTH, "1.1.4 <CodiceDestinatario> di 7 caratteri a fronte di 1.1.3 <FormatoTrasmissione> "
                    + "con valore FPA12 o di 6 caratteri a fronte di FPR12"),
            Map.entry(TRANSMISSION_FORMAT, "1.1.3 <FormatoTrasmissione> con valore diverso da FPA12 e FPR12"));

    private SdiErrors() {
    }

    public static String description(String code) {
        return DESCRIPTIONS.getOrDefault(code, "Errore " + code);
    }
}
