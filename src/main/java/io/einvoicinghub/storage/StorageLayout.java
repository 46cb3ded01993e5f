package io.einvoicinghub.storage;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where a submission's files go: {@code <legal entity>/<yyyy>/<MM>/<dd>/<submission id>/}, with the
 * submitted input as {@code 01-document.json} and {@code 02-context.json}, and each run's files numbered in
 * the order the pipeline wrote them under {@code run-<n>/}, e.g. {@code run-1/03-transform-ubl-invoice.xml}.
 */
public final class StorageLayout {

    public static final String DOCUMENT = "01-document.json";
    public static final String CONTEXT = "02-context.json";
    /** Run files are numbered after the two input files. */
    public static final int FIRST_RUN_FILE_NUMBER = 3;

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    private StorageLayout() {
    }

    public static String submissionPrefix(String legalEntity, OffsetDateTime createdAt, String submissionId) {
        return StorageKeys.segment(legalEntity) + "/" + DAY.format(createdAt.withOffsetSameInstant(ZoneOffset.UTC))
                + "/" + StorageKeys.segment(submissionId) + "/";
    }

    public static String inputKey(String prefix, String fileName) {
        return StorageKeys.requireSafe(prefix + fileName);
    }

    public static String runFileKey(String prefix, int run, int number, String name) {
        // two digits at least, as String.format("%02d") would write them (which costs a Formatter per file)
        return StorageKeys.requireSafe(prefix + "run-" + run + "/" + (number < 10 ? "0" : "") + number + "-"
                + StorageKeys.segment(name));
    }
}
