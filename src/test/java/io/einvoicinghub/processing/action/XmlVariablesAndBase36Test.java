package io.einvoicinghub.processing.action;

import io.einvoicinghub.transform.UnifiedJsonToXml;
import net.sf.saxon.s9api.Processor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code xml-variables} over a FatturaPA header, and next-number's base-36 progressive (SDI file names). */
class XmlVariablesAndBase36Test {

    static final byte[] HEADER = ("<p:FatturaElettronica xmlns:p=\"http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2\" versione=\"FPA12\">"
            + "<FatturaElettronicaHeader><DatiTrasmissione><IdTrasmittente><IdPaese>IT</IdPaese><IdCodice>01234567897</IdCodice>"
            + "</IdTrasmittente><FormatoTrasmissione>FPA12</FormatoTrasmissione></DatiTrasmissione></FatturaElettronicaHeader>"
            + "</p:FatturaElettronica>").getBytes(StandardCharsets.UTF_8);

    final XmlVariablesAction action = new XmlVariablesAction(new UnifiedJsonToXml(new Processor(false)));

    @Test
    void setsEachVariableFromItsXPath() throws Exception {
        TrialSteps steps = new TrialSteps().document("fatturapa.xml", "application/xml", HEADER);
        steps.run(action, Map.of(
                "variable.sdiTransmitter", "/*/FatturaElettronicaHeader/DatiTrasmissione/IdTrasmittente/(IdPaese || IdCodice)",
                "variable.version", "/p:FatturaElettronica/@versione",
                "namespace.p", "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"));
        assertThat(steps.state().variables).containsEntry("sdiTransmitter", "IT01234567897").containsEntry("version", "FPA12");
    }

    @Test
    void anExpressionThatFindsNothingFailsTheStepNamingIt() {
        TrialSteps steps = new TrialSteps().document("fatturapa.xml", "application/xml", HEADER);
        assertThatThrownBy(() -> steps.run(action, Map.of("variable.pec", "//PECDestinatario")))
                .hasMessageContaining("variable pec").hasMessageContaining("//PECDestinatario").hasMessageContaining("fatturapa.xml");
    }

    @Test
    void base36ProgressiveIsZeroPaddedUpperCase() {
        assertThat(NextNumberAction.base36("%05d", 1)).isEqualTo("00001");
        assertThat(NextNumberAction.base36("%05d", 35)).isEqualTo("0000Z");
        assertThat(NextNumberAction.base36("%05d", 36)).isEqualTo("00010");
        assertThat(NextNumberAction.base36("%05d", 99_999)).isEqualTo("0255R");
        assertThat(NextNumberAction.base36("%05d", 60_466_175)).isEqualTo("ZZZZZ");
        assertThat(NextNumberAction.base36("IT01234567897_%05d.xml", 10)).isEqualTo("IT01234567897_0000A.xml");
    }
}
