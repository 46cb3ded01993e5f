package io.einvoicinghub.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Generates a large unified-model invoice submission (German seller, public buyer, SEPA credit transfer) with N
 * lines at 19 % and 7 % and exact arithmetic, valid for Peppol BIS 3, XRechnung 3.0 and EN 16931. For load tests.
 *
 * <pre>java -cp ... io.einvoicinghub.tools.LargeInvoiceGenerator [lines=10000] [outFile=target/large-invoice.json]</pre>
 */
public final class LargeInvoiceGenerator {

    private static final JsonNodeFactory F = JsonNodeFactory.withExactBigDecimals(true);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private LargeInvoiceGenerator() {
    }

    public static void main(String[] args) throws IOException {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 10000;
        Path out = Path.of(args.length > 1 ? args[1] : "target/large-invoice.json");
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, generate(lines), StandardCharsets.UTF_8);
        System.out.println("wrote " + lines + " lines to " + out);
    }

    /** The submission JSON ({@code context} + {@code document}) with the given number of lines. */
    public static String generate(int lineCount) {
        if (lineCount < 1) {
            throw new IllegalArgumentException("at least one line");
        }
        ObjectNode root = F.objectNode();
        ObjectNode context = root.putObject("context");
        context.put("legalEntity", "DE01").put("country", "DE").put("documentType", "Invoice")
                .put("erpDocumentId", "ERP-LARGE-" + lineCount);
        context.putObject("variables").put("recipientType", "public");

        ObjectNode d = root.putObject("document");
        d.put("number", "INV-LARGE-" + lineCount).put("issueDate", "2026-11-30").put("typeCode", "380")
                .put("currencyCode", "EUR").put("dueDate", "2026-12-30").put("buyerReference", "04011000-12345-03")
                .put("purchaseOrderReference", "PO-LARGE-1").put("paymentTerms", "Payable within 30 days net.");
        ObjectNode period = d.putObject("invoicingPeriod");
        period.put("startDate", "2026-11-01").put("endDate", "2026-11-30");
        d.set("seller", seller());
        d.set("buyer", buyer());
        ObjectNode pi = d.putObject("paymentInstructions");
        pi.put("meansCode", "58").put("meansText", "SEPA credit transfer").put("remittanceInformation", "INV-LARGE-" + lineCount);
        pi.putArray("creditTransfers").addObject().put("accountId", "DE75512108001245126199")
                .put("accountName", "Nordwind Maschinenbau GmbH").put("serviceProviderId", "SOGEDEFFXXX");

        Map<Integer, BigDecimal> taxableByRate = new LinkedHashMap<>();
        taxableByRate.put(19, BigDecimal.ZERO.setScale(2));
        taxableByRate.put(7, BigDecimal.ZERO.setScale(2));
        BigDecimal lineTotal = BigDecimal.ZERO.setScale(2);
        ArrayNode lines = F.arrayNode();
        for (int i = 1; i <= lineCount; i++) {
            BigDecimal quantity = BigDecimal.valueOf(i % 7 + 1);
            BigDecimal price = new BigDecimal("10.00").add(new BigDecimal("1.25").multiply(BigDecimal.valueOf(i % 50)));
            BigDecimal net = quantity.multiply(price).setScale(2, RoundingMode.UNNECESSARY);
            int rate = i % 5 == 0 ? 7 : 19;
            taxableByRate.merge(rate, net, BigDecimal::add);
            lineTotal = lineTotal.add(net);
            ObjectNode line = lines.addObject();
            line.put("id", String.valueOf(i)).put("quantity", quantity).put("unitCode", "H87").put("netAmount", net);
            line.putObject("price").put("netAmount", price);
            line.putObject("vat").put("categoryCode", "S").put("rate", rate);
            line.putObject("item").put("name", "Spare part " + i).put("sellerId", "SP-" + i);
        }
        ArrayNode breakdown = d.putArray("vatBreakdown");
        BigDecimal taxTotal = BigDecimal.ZERO.setScale(2);
        for (Map.Entry<Integer, BigDecimal> e : taxableByRate.entrySet()) {
            if (e.getValue().signum() == 0) {
                continue;
            }
            BigDecimal tax = e.getValue().multiply(BigDecimal.valueOf(e.getKey())).divide(HUNDRED, 2, RoundingMode.HALF_UP);
            taxTotal = taxTotal.add(tax);
            breakdown.addObject().put("categoryCode", "S").put("rate", e.getKey())
                    .put("taxableAmount", e.getValue()).put("taxAmount", tax);
        }
        ObjectNode totals = d.putObject("totals");
        totals.put("lineNetAmount", lineTotal).put("taxExclusiveAmount", lineTotal).put("taxAmount", taxTotal)
                .put("taxInclusiveAmount", lineTotal.add(taxTotal)).put("payableAmount", lineTotal.add(taxTotal));
        d.set("lines", lines);
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode seller() {
        ObjectNode s = F.objectNode();
        s.put("name", "Nordwind Maschinenbau GmbH").put("tradingName", "Nordwind");
        s.putArray("identifiers").addObject().put("id", "4000001123452").put("schemeId", "0088");
        s.putObject("legalRegistration").put("id", "HRB 123456");
        s.put("vatId", "DE123456789").put("additionalLegalInfo", "Registered at Amtsgericht Hamburg");
        s.putObject("electronicAddress").put("id", "4000001123452").put("schemeId", "0088");
        s.putObject("address").put("line1", "Hafenstrasse 12").put("city", "Hamburg").put("postalCode", "20457").put("countryCode", "DE");
        s.putObject("contact").put("name", "Anna Becker").put("phone", "+49 40 1234567").put("email", "billing@nordwind.example");
        return s;
    }

    private static ObjectNode buyer() {
        ObjectNode b = F.objectNode();
        b.put("name", "Stadtwerke Musterstadt");
        b.putObject("identifier").put("id", "4000001987658").put("schemeId", "0088");
        b.put("vatId", "DE987654321");
        b.putObject("electronicAddress").put("id", "4000001987658").put("schemeId", "0088");
        b.putObject("address").put("line1", "Rathausplatz 1").put("city", "Musterstadt").put("postalCode", "12345").put("countryCode", "DE");
        b.putObject("contact").put("name", "Jonas Weber").put("phone", "+49 30 7654321").put("email", "einkauf@stadtwerke.example");
        return b;
    }
}
