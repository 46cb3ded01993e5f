package io.einvoicinghub.tools;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.einvoicinghub.model.UnifiedSchemaTest;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LargeInvoiceGeneratorTest {

    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    @Test
    void fiftyLinesAddUp() throws Exception {
        JsonNode root = mapper.readTree(LargeInvoiceGenerator.generate(50));
        JsonNode d = root.get("document");
        assertThat(d.get("lines")).hasSize(50);

        BigDecimal lineSum = BigDecimal.ZERO;
        Map<BigDecimal, BigDecimal> taxable = new HashMap<>();
        for (JsonNode line : d.get("lines")) {
            BigDecimal net = line.get("netAmount").decimalValue();
            BigDecimal expected = line.get("quantity").decimalValue().multiply(line.at("/price/netAmount").decimalValue());
            assertThat(net).isEqualByComparingTo(expected);
            assertThat(net.scale()).isEqualTo(2);
            lineSum = lineSum.add(net);
            taxable.merge(line.at("/vat/rate").decimalValue().stripTrailingZeros(), net, BigDecimal::add);
        }
        JsonNode t = d.get("totals");
        assertThat(t.get("lineNetAmount").decimalValue()).isEqualByComparingTo(lineSum);
        assertThat(t.get("taxExclusiveAmount").decimalValue()).isEqualByComparingTo(lineSum);

        BigDecimal taxSum = BigDecimal.ZERO;
        assertThat(d.get("vatBreakdown")).hasSize(taxable.size());
        for (JsonNode vb : d.get("vatBreakdown")) {
            BigDecimal rate = vb.get("rate").decimalValue().stripTrailingZeros();
            BigDecimal base = vb.get("taxableAmount").decimalValue();
            assertThat(base).isEqualByComparingTo(taxable.get(rate));
            BigDecimal tax = base.multiply(rate).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
            assertThat(vb.get("taxAmount").decimalValue()).isEqualByComparingTo(tax);
            taxSum = taxSum.add(tax);
        }
        assertThat(t.get("taxAmount").decimalValue()).isEqualByComparingTo(taxSum);
        assertThat(t.get("taxInclusiveAmount").decimalValue()).isEqualByComparingTo(lineSum.add(taxSum));
        assertThat(t.get("payableAmount").decimalValue()).isEqualByComparingTo(t.get("taxInclusiveAmount").decimalValue());
    }

    @Test
    void generatedInvoicePassesTheSchema() throws Exception {
        JsonNode root = new ObjectMapper().readTree(LargeInvoiceGenerator.generate(50));
        assertThat(UnifiedSchemaTest.load().validate(root)).isEmpty();
    }
}
