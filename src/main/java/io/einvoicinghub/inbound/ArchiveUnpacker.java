package io.einvoicinghub.inbound;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks a received zip archive in memory within {@link ArchiveLimits} and the per-file limit: entries are read as
 * they inflate and reading stops at the first limit crossed, so a zip bomb costs at most the limits. Nothing is
 * written to disk, so an entry name such as {@code ../../etc/passwd} is only a label. Directories and macOS
 * resource forks ({@code __MACOSX/}) are skipped.
 */
public final class ArchiveUnpacker {

    /** One file of the archive. */
    public record Entry(String name, byte[] content) {
    }

    /** The entries, or why the archive is not unpacked (then no entries). */
    public record Result(List<Entry> entries, String failure) {
    }

    private final ArchiveLimits limits;
    private final long maxFileBytes;

    public ArchiveUnpacker(ArchiveLimits limits, long maxFileBytes) {
        this.limits = limits;
        this.maxFileBytes = maxFileBytes;
    }

    public Result unpack(byte[] archive) {
        long maxTotal = Math.min(limits.maxTotalBytes(), (long) archive.length * limits.maxRatio());
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        byte[] buffer = new byte[16 * 1024];
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (entry.isDirectory() || entry.getName().startsWith("__MACOSX/")) {
                    continue;
                }
                if (entries.size() == limits.maxEntries()) {
                    return failure("more than " + limits.maxEntries() + " files (hub.inbound.archives.max-entries)");
                }
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                int n;
                while ((n = read(zip, buffer)) > 0) {
                    content.write(buffer, 0, n);
                    total += n;
                    if (content.size() > maxFileBytes) {
                        return failure("entry " + printable(entry.getName()) + " inflates to more than " + maxFileBytes
                                + " bytes (hub.inbound.max-file-bytes)");
                    }
                    if (total > limits.maxTotalBytes()) {
                        return failure("its files inflate to more than " + limits.maxTotalBytes()
                                + " bytes (hub.inbound.archives.max-total-bytes)");
                    }
                    if (total > maxTotal) {
                        return failure("its files inflate to more than " + limits.maxRatio() + " times the archive's "
                                + archive.length + " bytes (hub.inbound.archives.max-ratio): a zip bomb, or not invoices");
                    }
                }
                entries.add(new Entry(entry.getName(), content.toByteArray()));
            }
        } catch (IOException | IllegalArgumentException e) {
            return failure("it cannot be read as a zip archive (" + e.getMessage() + ")");
        }
        if (entries.isEmpty()) {
            return failure("it holds no files");
        }
        return new Result(List.copyOf(entries), null);
    }

    private static int read(InputStream in, byte[] buffer) throws IOException {
        return in.read(buffer, 0, buffer.length);
    }

    private static Result failure(String why) {
        return new Result(List.of(), "Zip archive not unpacked: " + why + "; the archive is kept, no entry was taken");
    }

    static String printable(String name) {
        String clean = name.replaceAll("\\p{Cntrl}", "_");
        return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
    }
}
