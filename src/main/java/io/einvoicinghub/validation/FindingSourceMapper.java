package io.einvoicinghub.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a finding back to the unified-JSON field it came from. Official rule texts name the business term
 * they test ("[BR-CO-10]-Sum of Invoice line net amount (BT-106) = …"); the business-term table gives that
 * term's JSON pointer, and the finding's XPath gives the line number where the term is per line.
 */
public class FindingSourceMapper {

    public static final String TABLE_RESOURCE = "/schema/business-terms.json";

    private static final Pattern TERM = Pattern.compile("\\b(B[TG])-(\\d+)\\b");
    private static final Pattern LINE = Pattern.compile(
            "(?:InvoiceLine|CreditNoteLine|IncludedSupplyChainTradeLineItem)\\[(\\d+)]");

    private final Map<String, String> pointerByTerm;

    public FindingSourceMapper(Map<String, String> pointerByTerm) {
        this.pointerByTerm = Map.copyOf(pointerByTerm);
    }

    /** Reads the table shipped with the schema; an absent table maps nothing. */
    public static FindingSourceMapper fromClasspath() {
        Map<String, String> pointers = new HashMap<>();
        try (InputStream in = FindingSourceMapper.class.getResourceAsStream(TABLE_RESOURCE)) {
            if (in != null) {
                JsonNode table = new ObjectMapper().readTree(in);
                table.fields().forEachRemaining(e -> {
                    JsonNode pointer = e.getValue().path("jsonPointer");
                    if (pointer.isTextual()) {
                        pointers.put(e.getKey(), pointer.asText());
                    }
                });
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + TABLE_RESOURCE, e);
        }
        return new FindingSourceMapper(pointers);
    }

    public Finding map(Finding finding) {
        if (finding.message() == null) {
            return finding;
        }
        Matcher term = TERM.matcher(finding.message());
        while (term.find()) {
            String pointer = pointerByTerm.get(term.group(1) + "-" + term.group(2));
            if (pointer != null) {
                return finding.withSourceField(resolveIndices(pointer, finding.location()));
            }
        }
        return finding;
    }

    private static String resolveIndices(String pointer, String location) {
        if (pointer.contains("{line}") && location != null) {
            Matcher line = LINE.matcher(location);
            if (line.find()) {
                pointer = pointer.replace("{line}", String.valueOf(Integer.parseInt(line.group(1)) - 1));
            }
        }
        // an index the location does not tell stays unresolved: point at the whole array instead
        int placeholder = pointer.indexOf("/{");
        return placeholder < 0 ? pointer : pointer.substring(0, placeholder);
    }
}
