package io.einvoicinghub.ksef.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Writes the UPO (Urzędowe Poświadczenie Odbioru, official receipt) of one invoice in the Ministry's UPO v4-3
 * structure ({@code faktury/upo/schemy/upo-v4-3.xsd}, vendored under {@code transformations/ksef/schema/upo}).
 * The schema fixes the receiving party's name to the Ministry's; a comment in the document says that the
 * simulator issued it.
 */
final class UpoWriter {

    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneId.of("Europe/Warsaw"));

    private UpoWriter() {
    }

    static byte[] invoiceUpo(String sessionReference, String nip, String ksefNumber, String invoiceNumber, String issueDate,
                             Instant sentAt, Instant numberedAt, String invoiceHash) {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Issued by the einvoicing-hub KSeF simulator for tests and demos: not a receipt of the Ministry of Finance. -->
                <Potwierdzenie xmlns="http://upo.schematy.mf.gov.pl/KSeF/v4-3" wersjaSchemy="4-3">
                  <NazwaPodmiotuPrzyjmujacego>Ministerstwo Finansów</NazwaPodmiotuPrzyjmujacego>
                  <NumerReferencyjnySesji>%s</NumerReferencyjnySesji>
                  <Uwierzytelnienie>
                    <IdKontekstu>
                      <Nip>%s</Nip>
                    </IdKontekstu>
                    <NumerReferencyjnyTokenaKSeF>%s</NumerReferencyjnyTokenaKSeF>
                  </Uwierzytelnienie>
                  <NazwaStrukturyLogicznej>Schemat_FA(3)_v1-0E.xsd</NazwaStrukturyLogicznej>
                  <KodFormularza>FA (3)</KodFormularza>
                  <Dokument>
                    <NipSprzedawcy>%s</NipSprzedawcy>
                    <NumerKSeFDokumentu>%s</NumerKSeFDokumentu>
                    <NumerFaktury>%s</NumerFaktury>
                    <DataWystawieniaFaktury>%s</DataWystawieniaFaktury>
                    <DataPrzeslaniaDokumentu>%s</DataPrzeslaniaDokumentu>
                    <DataNadaniaNumeruKSeF>%s</DataNadaniaNumeruKSeF>
                    <SkrotDokumentu>%s</SkrotDokumentu>
                    <TrybWysylki>Online</TrybWysylki>
                  </Dokument>
                </Potwierdzenie>
                """.formatted(sessionReference, nip, sessionReference, nip, ksefNumber, escape(invoiceNumber), issueDate,
                OFFSET.format(sentAt), OFFSET.format(numberedAt), invoiceHash);
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
