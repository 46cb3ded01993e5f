package io.einvoicinghub.ksef;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The vendored official FA(3) XSD compiles offline and tells valid from invalid invoices. */
class Fa3SchemaValidatorTest {

    static final Fa3SchemaValidator VALIDATOR = new Fa3SchemaValidator();

    static byte[] minimal() throws Exception {
        return Files.readAllBytes(Path.of("src/test/resources/ksef/fa3-minimal.xml"));
    }

    @Test
    void handWrittenInvoiceIsValid() throws Exception {
        assertThat(VALIDATOR.validate(minimal())).isEmpty();
    }

    @Test
    void missingTotalP15IsReported() throws Exception {
        String xml = new String(minimal(), StandardCharsets.UTF_8).replace("<P_15>123.00</P_15>", "");
        List<String> errors = VALIDATOR.validate(xml.getBytes(StandardCharsets.UTF_8));
        assertThat(errors).isNotEmpty();
        assertThat(String.join("\n", errors)).contains("P_15");
    }

    @Test
    void invalidNipPatternIsReported() throws Exception {
        String xml = new String(minimal(), StandardCharsets.UTF_8).replace("<NIP>3434235649</NIP>", "<NIP>0034235649</NIP>");
        assertThat(String.join("\n", VALIDATOR.validate(xml.getBytes(StandardCharsets.UTF_8)))).contains("0034235649");
    }

    @Test
    void doctypeIsRefused() throws Exception {
        String xml = new String(minimal(), StandardCharsets.UTF_8)
                .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>");
        List<String> errors = VALIDATOR.validate(xml.getBytes(StandardCharsets.UTF_8));
        assertThat(String.join("\n", errors)).containsIgnoringCase("DOCTYPE");
    }
}
