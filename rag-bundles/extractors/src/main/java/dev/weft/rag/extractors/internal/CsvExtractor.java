package dev.weft.rag.extractors.internal;

import dev.weft.spi.rag.DocumentExtractor;
import dev.weft.spi.rag.DocumentSource;
import dev.weft.spi.rag.ExtractedDocument;
import dev.weft.spi.rag.ExtractorDescriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * CSV and TSV files, parsed by commons-csv. The first record is the header; every later record
 * becomes one paragraph {@code "header: value; header: value"}, empty values left out.
 *
 * <p>Why: a chunk cut from the middle of a table still says what each value means, so retrieval
 * can match "price of X" against a row that has no other mention of prices, and one record per
 * paragraph lets a chunker keep records whole.
 *
 * <p>The delimiter is sniffed ({@link #sniff}) among comma, semicolon and tab, unless configured.
 */
@Component(service = DocumentExtractor.class, configurationPid = "dev.weft.rag.extractors.csv")
public final class CsvExtractor extends AbstractExtractor {

    static final String DELIMITER = "delimiter";
    private static final List<String> DELIMITERS = List.of("auto", ",", ";", "\t");

    static final ExtractorDescriptor DESCRIPTOR = new ExtractorDescriptor("csv", "1", "CSV",
            "Reads CSV and TSV files: one paragraph per record, each value labelled with its column header.",
            Settings.schema(Map.of(DELIMITER, Settings.choice(
                    "The field delimiter; auto picks comma, semicolon or tab by looking at the first lines",
                    "auto", DELIMITERS))),
            Set.of("text/csv", "text/tab-separated-values", "application/csv"), Set.of("csv", "tsv"));

    private final String delimiter;

    @Activate
    public CsvExtractor(Map<String, Object> properties) {
        super(DESCRIPTOR, new Settings(properties), "a CSV file");
        this.delimiter = new Settings(properties).stringValue(DELIMITER, "auto", DELIMITERS);
    }

    @Override
    ExtractedDocument read(DocumentSource source, TextOut out) throws IOException {
        byte[] bytes = Input.readAll(source, limits().maxInputBytes());
        requireText(source, bytes, "a CSV file");
        String text = Charsets.decode(bytes).text();
        char separator = delimiter.equals("auto") ? sniff(text) : delimiter.charAt(0);
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(separator)
                .setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(true)
                .get();
        List<String> header = null;
        long records = 0;
        try (CSVParser parser = CSVParser.parse(text, format)) {
            for (CSVRecord record : parser) {
                if (header == null) {
                    header = headerOf(record);
                    continue;
                }
                String line = describe(header, record);
                if (!line.isEmpty()) {
                    out.paragraph(line);
                    records++;
                }
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("columns", header == null ? List.of() : header);
        metadata.put("record_count", records);
        metadata.put("delimiter", String.valueOf(separator));
        return new ExtractedDocument(out.text(), metadata);
    }

    private static List<String> headerOf(CSVRecord record) {
        List<String> header = new ArrayList<>();
        for (int i = 0; i < record.size(); i++) {
            String name = TextOut.clean(record.get(i)).strip();
            header.add(name.isEmpty() ? "column " + (i + 1) : name);
        }
        return header;
    }

    private static String describe(List<String> header, CSVRecord record) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < record.size(); i++) {
            String value = record.get(i).strip();
            if (value.isEmpty()) {
                continue;
            }
            if (!line.isEmpty()) {
                line.append("; ");
            }
            line.append(i < header.size() ? header.get(i) : "column " + (i + 1)).append(": ")
                    .append(value.replaceAll("\\s*\\R\\s*", " "));
        }
        return line.toString();
    }

    /**
     * Picks the delimiter from the first 20 lines: a delimiter that occurs the same number of times
     * (more than zero) on every line wins, the most frequent such one first; otherwise the one
     * that occurs on the most lines. Quoted text is skipped. Comma when nothing is found.
     */
    static char sniff(String text) {
        char[] candidates = {',', ';', '\t'};
        List<int[]> lines = new ArrayList<>(); // per line: counts per candidate
        int[] current = new int[candidates.length];
        boolean quoted = false;
        boolean content = false;
        for (int i = 0; i < text.length() && lines.size() < 20; i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                if (content) {
                    lines.add(current);
                }
                current = new int[candidates.length];
                content = false;
                continue;
            } else if (!quoted) {
                for (int k = 0; k < candidates.length; k++) {
                    if (c == candidates[k]) {
                        current[k]++;
                    }
                }
            }
            content = true;
        }
        if (content && lines.size() < 20) {
            lines.add(current);
        }
        char best = ',';
        long bestScore = 0;
        for (int k = 0; k < candidates.length; k++) {
            int first = lines.isEmpty() ? 0 : lines.get(0)[k];
            boolean consistent = first > 0;
            int linesWith = 0;
            long total = 0;
            for (int[] counts : lines) {
                consistent &= counts[k] == first;
                linesWith += counts[k] > 0 ? 1 : 0;
                total += counts[k];
            }
            long score = (consistent ? 1L << 40 : 0) + ((long) linesWith << 20) + Math.min(total, (1 << 20) - 1);
            if (score > bestScore) {
                bestScore = score;
                best = candidates[k];
            }
        }
        return best;
    }
}
