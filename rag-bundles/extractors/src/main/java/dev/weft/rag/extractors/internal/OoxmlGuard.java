package dev.weft.rag.extractors.internal;

import dev.weft.spi.rag.ExtractionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.poi.openxml4j.util.ZipSecureFile;

/**
 * Checks a DOCX/XLSX container before POI parses any part of it (SEC-35), in three passes that
 * all fail with {@code document_limit}:
 * <ol>
 * <li>the entry count from the end-of-central-directory record, before the central directory is
 * loaded (a 50 MB file can hold a million entry headers);</li>
 * <li>the central directory: per-entry and total declared uncompressed sizes, the inflate ratio,
 * and entries whose data overlap (the "overlapping files" bomb, where many entries point at one
 * compressed kernel);</li>
 * <li>every entry inflated once and counted, without keeping the bytes, stopping at the first
 * limit crossed: declared sizes are only claims.</li>
 * </ol>
 * Archives nested inside the container (embedded objects such as {@code word/embeddings/x.xlsx})
 * are never opened by the extractors; their bytes just count toward these totals.
 *
 * <p>POI's own {@link ZipSecureFile} thresholds are also set, as a second line: POI checks the
 * inflate ratio and entry size again while it reads. They are static, shared by the DOCX and XLSX
 * extractors through the POI copy embedded in this bundle (nobody else sees it); when the two are
 * configured differently the more permissive value is kept there and each extractor's own scan
 * enforces its own values.
 */
final class OoxmlGuard {

    static final String MAX_ENTRIES = "maxEntries";
    static final String MAX_ENTRY_BYTES = "maxEntryBytes";
    static final String MAX_UNCOMPRESSED_BYTES = "maxUncompressedBytes";
    static final String MIN_INFLATE_RATIO = "minInflateRatio";

    static final long DEFAULT_MAX_ENTRIES = 1000;
    /** Parts are parsed into DOM trees several times their size: keep one part well below the heap. */
    static final long DEFAULT_MAX_ENTRY_BYTES = 100 * Settings.MB;
    static final long DEFAULT_MAX_UNCOMPRESSED_BYTES = 300 * Settings.MB;
    /** POI's default: compressed size at least 1% of the uncompressed size (100:1). */
    static final double DEFAULT_MIN_INFLATE_RATIO = 0.01;
    /** Entries smaller than this are not ratio-checked: tiny repetitive XML compresses very well. */
    static final long RATIO_GRACE_BYTES = 100 * 1024;

    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int LOCAL_HEADER_MIN = 30;

    static {
        ZipSecureFile.setMinInflateRatio(DEFAULT_MIN_INFLATE_RATIO);
        ZipSecureFile.setMaxEntrySize(DEFAULT_MAX_ENTRY_BYTES);
        ZipSecureFile.setMaxFileCount(DEFAULT_MAX_ENTRIES);
        ZipSecureFile.setGraceEntrySize(RATIO_GRACE_BYTES);
    }

    /** The container limits of one extractor. */
    record Rules(long maxEntries, long maxEntryBytes, long maxUncompressedBytes, double minInflateRatio) {

        static Rules from(Settings settings) {
            Rules rules = new Rules(
                    settings.longValue(MAX_ENTRIES, DEFAULT_MAX_ENTRIES, 1, 65_535),
                    settings.longValue(MAX_ENTRY_BYTES, DEFAULT_MAX_ENTRY_BYTES, 1, 4L * 1024 * Settings.MB),
                    settings.longValue(MAX_UNCOMPRESSED_BYTES, DEFAULT_MAX_UNCOMPRESSED_BYTES, 1, Long.MAX_VALUE / 2),
                    settings.doubleValue(MIN_INFLATE_RATIO, DEFAULT_MIN_INFLATE_RATIO, 0.0001, 1.0));
            relaxPoi(rules);
            return rules;
        }
    }

    private OoxmlGuard() {
    }

    private static synchronized void relaxPoi(Rules rules) {
        ZipSecureFile.setMinInflateRatio(Math.min(ZipSecureFile.getMinInflateRatio(), rules.minInflateRatio()));
        ZipSecureFile.setMaxEntrySize(Math.max(ZipSecureFile.getMaxEntrySize(), rules.maxEntryBytes()));
        ZipSecureFile.setMaxFileCount(Math.max(ZipSecureFile.getMaxFileCount(), rules.maxEntries()));
    }

    /** The configuration properties of the container limits, for the descriptor's schema. */
    static Map<String, Object> schema() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(MAX_ENTRIES, Settings.integer("The most files inside the document's ZIP container", DEFAULT_MAX_ENTRIES, 1));
        p.put(MAX_ENTRY_BYTES, Settings.integer("The largest uncompressed file inside the container, in bytes",
                DEFAULT_MAX_ENTRY_BYTES, 1));
        p.put(MAX_UNCOMPRESSED_BYTES, Settings.integer("The largest total uncompressed size of the container, in bytes",
                DEFAULT_MAX_UNCOMPRESSED_BYTES, 1));
        p.put(MIN_INFLATE_RATIO, Settings.number("The smallest compressed-to-uncompressed size ratio of an entry "
                + "(0.01 refuses entries that expand more than 100 times)", DEFAULT_MIN_INFLATE_RATIO, 0.0001, 1.0));
        return p;
    }

    /** Runs the three passes over the ZIP file at {@code path}. */
    static void check(Path path, Rules rules, String fileName) throws ExtractionException {
        String name = Errors.name(fileName);
        long declaredEntries = entryCountFromEnd(path, name);
        if (declaredEntries > rules.maxEntries()) {
            throw tooMany(name, declaredEntries, rules);
        }
        try (ZipFile zip = ZipFile.builder().setPath(path).get()) {
            List<ZipArchiveEntry> entries = Collections.list(zip.getEntries());
            if (entries.size() > rules.maxEntries()) {
                throw tooMany(name, entries.size(), rules);
            }
            checkDeclared(entries, rules, name);
            checkOverlap(entries, name);
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (ZipArchiveEntry entry : entries) {
                if (entry.isDirectory()) {
                    continue;
                }
                long size = 0;
                try (InputStream in = zip.getInputStream(entry)) {
                    if (in == null) {
                        continue;
                    }
                    int n;
                    while ((n = in.read(buffer)) != -1) {
                        size += n;
                        total += n;
                        checkEntry(entry, size, rules, name);
                        if (total > rules.maxUncompressedBytes()) {
                            throw tooBig(name, rules);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw Errors.unreadable(name + " is not a valid Office document: its ZIP container is damaged.", e);
        }
    }

    private static void checkDeclared(List<ZipArchiveEntry> entries, Rules rules, String name) throws ExtractionException {
        long total = 0;
        for (ZipArchiveEntry entry : entries) {
            long size = entry.getSize();
            if (size > 0) {
                checkEntry(entry, size, rules, name);
                total += size;
                if (total > rules.maxUncompressedBytes()) {
                    throw tooBig(name, rules);
                }
            }
        }
    }

    private static void checkEntry(ZipArchiveEntry entry, long size, Rules rules, String name) throws ExtractionException {
        if (size > rules.maxEntryBytes()) {
            throw Errors.limit(name + " contains a part that expands to more than " + Sizes.human(rules.maxEntryBytes())
                    + " (" + Errors.name(entry.getName()) + ").");
        }
        long compressed = entry.getCompressedSize();
        if (size > RATIO_GRACE_BYTES && compressed >= 0 && (double) compressed / size < rules.minInflateRatio()) {
            throw Errors.limit(name + " looks like a zip bomb: a part expands more than "
                    + Math.round(1 / rules.minInflateRatio()) + " times (" + Errors.name(entry.getName()) + ").");
        }
    }

    /** Entries whose data ranges overlap share compressed bytes: the Fifield overlapping-file bomb. */
    private static void checkOverlap(List<ZipArchiveEntry> entries, String name) throws ExtractionException {
        List<ZipArchiveEntry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(ZipArchiveEntry::getLocalHeaderOffset));
        long end = -1;
        for (ZipArchiveEntry entry : byOffset) {
            long start = entry.getLocalHeaderOffset();
            if (start < end) {
                throw Errors.limit(name + " looks like a zip bomb: several of its entries share the same data.");
            }
            end = start + LOCAL_HEADER_MIN + Math.max(entry.getCompressedSize(), 0);
        }
    }

    /**
     * The total entry count of the end-of-central-directory record; -1 when it is not found
     * (the full parse then decides). 0xFFFF means ZIP64, which no genuine DOCX/XLSX needs.
     */
    private static long entryCountFromEnd(Path path, String name) throws ExtractionException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            int tail = (int) Math.min(size, 22 + 65_535);
            ByteBuffer buffer = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(buffer, size - tail);
            for (int i = tail - 22; i >= 0; i--) {
                if (buffer.getInt(i) == EOCD_SIGNATURE) {
                    int count = Short.toUnsignedInt(buffer.getShort(i + 10));
                    return count == 0xFFFF ? Long.MAX_VALUE : count;
                }
            }
            return -1;
        } catch (IOException e) {
            throw Errors.unreadable("Could not read " + name + ".", e);
        }
    }

    private static ExtractionException tooMany(String name, long count, Rules rules) {
        return Errors.limit(name + " contains " + (count == Long.MAX_VALUE ? "too many" : Sizes.count(count))
                + " files in its ZIP container; at most " + Sizes.count(rules.maxEntries()) + " are accepted.");
    }

    private static ExtractionException tooBig(String name, Rules rules) {
        return Errors.limit(name + " expands to more than " + Sizes.human(rules.maxUncompressedBytes())
                + " when unpacked, the most accepted.");
    }
}
