package io.einvoicinghub.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.transform.UnifiedJsonToXml;
import io.einvoicinghub.validation.Finding;
import io.einvoicinghub.validation.OfficialRulesValidator;
import io.einvoicinghub.validation.SecureXml;
import io.einvoicinghub.validation.ValidationReport;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.Serializer;
import net.sf.saxon.s9api.XdmAtomicValue;
import net.sf.saxon.s9api.Xslt30Transformer;
import net.sf.saxon.s9api.XsltCompiler;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Developer tool: transform one unified-JSON sample with one stylesheet and validate the result with one
 * official rule set, printing the findings. Not used by the hub itself.
 *
 * <pre>java -cp ... io.einvoicinghub.tools.FeatureTry STYLESHEET SAMPLE.json RULESET_ID [param=value ...] [--out FILE]</pre>
 */
public final class FeatureTry {

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: FeatureTry STYLESHEET SAMPLE.json RULESET_ID [param=value ...] [--out FILE]");
            System.exit(2);
        }
        Processor processor = new Processor(false);
        // the hub's own reader: decimals keep the lexical form the ERP wrote
        JsonNode submission = UnifiedJson.parse(Files.readAllBytes(Path.of(args[1])));
        JsonNode document = submission.has("document") ? submission.get("document") : submission;
        String documentJson = new String(UnifiedJson.write(document), StandardCharsets.UTF_8);

        Map<QName, net.sf.saxon.s9api.XdmValue> params = new HashMap<>();
        String out = null;
        for (int i = 3; i < args.length; i++) {
            if (args[i].equals("--out")) {
                out = args[++i];
            } else {
                String[] kv = args[i].split("=", 2);
                params.put(new QName(kv[0]), new XdmAtomicValue(kv[1]));
            }
        }
        if (submission.has("context")) {
            params.putIfAbsent(new QName("documentType"),
                    new XdmAtomicValue(submission.get("context").path("documentType").asText("Invoice")));
        }
        XsltCompiler compiler = processor.newXsltCompiler();
        Xslt30Transformer transformer = compiler.compile(new javax.xml.transform.stream.StreamSource(new File(args[0]))).load30();
        transformer.setStylesheetParameters(params);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Serializer serializer = processor.newSerializer(bytes);
        serializer.setOutputProperty(Serializer.Property.INDENT, "yes");
        transformer.applyTemplates(new UnifiedJsonToXml(processor).convert(documentJson), serializer);
        byte[] xml = bytes.toByteArray();
        if (out != null) {
            Files.write(Path.of(out), xml);
        } else {
            System.out.println(new String(xml, StandardCharsets.UTF_8));
        }
        OfficialRulesValidator validator = new OfficialRulesValidator();
        ValidationReport report = validator.validate(args[2], SecureXml.parse(xml));
        for (Finding f : report.findings()) {
            System.out.println(f.severity() + " " + f.ruleId() + " @ " + f.location() + " : " + f.message());
        }
        System.out.println(report.isValid() ? "VALID (" + report.ruleSetId() + ")" : "INVALID (" + report.ruleSetId() + ")");
    }
}
