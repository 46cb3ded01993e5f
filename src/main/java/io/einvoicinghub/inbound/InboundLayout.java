package io.einvoicinghub.inbound;

import io.einvoicinghub.storage.StorageKeys;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where a receipt's files go: {@code _inbound/<yyyy>/<MM>/<dd>/<receipt id>/}, beside the submissions' legal-entity
 * folders (the legal entity of a received file is known only after it has been read). The original as
 * {@code 01-original}, the content of a signed envelope as {@code 02-content.xml}, the unified JSON as
 * {@code 03-unified.json}.
 */
public final class InboundLayout {

    public static final String ROOT = "_inbound/";
    public static final String ORIGINAL = "01-original";
    public static final String CONTENT = "02-content.xml";
    public static final String UNIFIED = "03-unified.json";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    private InboundLayout() {
    }

    public static String receiptPrefix(OffsetDateTime receivedAt, String receiptId) {
        return ROOT + DAY.format(receivedAt.withOffsetSameInstant(ZoneOffset.UTC)) + "/" + StorageKeys.segment(receiptId) + "/";
    }
}
