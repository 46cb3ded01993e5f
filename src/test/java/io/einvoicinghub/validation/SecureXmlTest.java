package io.einvoicinghub.validation;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecureXmlTest {

    @Test
    void externalEntityIsRefused() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <Invoice>&xxe;</Invoice>""";
        assertThatThrownBy(() -> SecureXml.parse(xxe.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SecureXml.UnsafeOrMalformedXmlException.class)
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void entityExpansionBombIsRefused() {
        StringBuilder bomb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++) {
            bomb.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1 == 0 ? "" : i - 1) + ";").repeat(10)).append("\">");
        }
        bomb.append("]><lolz>&lol9;</lolz>");
        assertThatThrownBy(() -> SecureXml.parse(bomb.toString().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SecureXml.UnsafeOrMalformedXmlException.class);
    }

    @Test
    void malformedXmlIsReportedAndPlainXmlParses() throws Exception {
        assertThatThrownBy(() -> SecureXml.parse("<Invoice>".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("Malformed XML");
        assertThat(SecureXml.parse("<Invoice xmlns='urn:x'><ID>1</ID></Invoice>".getBytes(StandardCharsets.UTF_8))
                .getDocumentElement().getNamespaceURI()).isEqualTo("urn:x");
    }

    @Test
    void streamingCheckRefusesWhatParseRefusesAndPassesPlainXml() throws Exception {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE Invoice [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><Invoice>&xxe;</Invoice>";
        assertThatThrownBy(() -> SecureXml.check(new java.io.ByteArrayInputStream(xxe.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(SecureXml.UnsafeOrMalformedXmlException.class)
                .hasMessageContaining("DOCTYPE");
        assertThatThrownBy(() -> SecureXml.check(new java.io.ByteArrayInputStream("<Invoice>".getBytes(StandardCharsets.UTF_8))))
                .hasMessageStartingWith("Malformed XML");
        SecureXml.check(new java.io.ByteArrayInputStream("<Invoice xmlns='urn:x'><ID>1</ID></Invoice>".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void validatorRefusesUnknownRuleSetAndReportsSchemaErrors() throws Exception {
        OfficialRulesValidator validator = new OfficialRulesValidator();
        assertThatThrownBy(() -> validator.validate("no:such:1", SecureXml.parse("<a/>".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("no:such:1");
        ValidationReport report = validator.validate("eu.peppol.bis3:invoice:2026.5",
                SecureXml.parse("<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>".getBytes(StandardCharsets.UTF_8)));
        assertThat(report.isValid()).isFalse();
        assertThat(report.findings()).isNotEmpty();
    }
}
