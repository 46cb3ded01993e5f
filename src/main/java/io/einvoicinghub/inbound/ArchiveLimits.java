package io.einvoicinghub.inbound;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hub.inbound.archives.*}: how far a received zip archive is unpacked. Each entry becomes a receipt of its own
 * (as Microsoft's import channels take a zip of invoices); an archive over any limit is kept and Failed as a whole,
 * no entry taken. Entries are counted as they inflate, never by the sizes the archive claims.
 *
 * @param maxEntries    files in one archive (directories not counted)
 * @param maxTotalBytes all entries together, inflated
 * @param maxRatio      inflated size / archive size: a zip bomb inflates a thousandfold, XML invoices ten- to fiftyfold
 */
@ConfigurationProperties(prefix = "hub.inbound.archives")
public record ArchiveLimits(Integer maxEntries, Long maxTotalBytes, Integer maxRatio) {

    public static final ArchiveLimits DEFAULTS = new ArchiveLimits(null, null, null);

    public ArchiveLimits {
        maxEntries = maxEntries == null || maxEntries <= 0 ? 200 : maxEntries;
        maxTotalBytes = maxTotalBytes == null || maxTotalBytes <= 0 ? 100L * 1024 * 1024 : maxTotalBytes;
        maxRatio = maxRatio == null || maxRatio <= 0 ? 100 : maxRatio;
    }
}
