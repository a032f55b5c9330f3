package dev.weft.rag.lucene.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StringField;

/**
 * Indexes a chunk's metadata so that {@link MetadataFilters} can test it. Each key gets up to three
 * fields, by what its value can be read as:
 *
 * <ul>
 *   <li>{@code m.s.<key>}: the value as a keyword, lower-cased, for the string operators (strings,
 *       numbers in their plain form, booleans as {@code true}/{@code false});</li>
 *   <li>{@code m.n.<key>}: a {@link DoublePoint} for the number operators (numbers, and strings that
 *       are plain numbers);</li>
 *   <li>{@code m.t.<key>}: a {@link LongPoint} of epoch seconds for {@code before}/{@code after}
 *       (whole numbers, and ISO-8601 date strings).</li>
 * </ul>
 *
 * <p>{@code m.has} records which of these a chunk has ({@code s:key}, {@code n:key}, {@code t:key}),
 * and {@code v:key} when the key has any non-empty value, for {@code empty}/{@code not empty} and
 * for the negative operators, which only match chunks that have a value of the right kind. Arrays
 * index every element (a chunk matches when one element does); nested objects are flattened to
 * dotted keys ({@code author.name}). Null, empty strings, empty arrays and empty objects count as
 * empty.
 */
final class MetadataFields {

    static final String KEYWORD = "m.s.";
    static final String NUMBER = "m.n.";
    static final String TIME = "m.t.";
    static final String HAS = "m.has";

    /** The longest metadata key. */
    static final int MAX_KEY_LENGTH = 256;

    private MetadataFields() {
    }

    /** The {@code m.has} term recording that {@code key} has a value of a kind ({@code s}, {@code n}, {@code t}, {@code v}). */
    static String has(char kind, String key) {
        return kind + ":" + key;
    }

    /** Adds the fields of every metadata key to a document. */
    static void index(Map<String, Object> metadata, Document document) {
        Seen seen = new Seen();
        for (Map.Entry<String, Object> entry : metadata.entrySet()) {
            add(entry.getKey(), entry.getValue(), document, seen);
        }
    }

    /** The presence marks already added to a document, so that each is added once. */
    private static final class Seen {
        private final Set<String> marks = new HashSet<>();

        boolean first(String mark) {
            return marks.add(mark);
        }
    }

    private static void add(String key, Object value, Document document, Seen seen) {
        checkKey(key);
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> member : map.entrySet()) {
                add(key + "." + member.getKey(), member.getValue(), document, seen);
            }
        } else if (value instanceof List<?> list) {
            for (Object item : list) {
                add(key, item, document, seen);
            }
        } else if (value instanceof String text) {
            if (text.isEmpty()) {
                return;
            }
            keyword(key, MetadataValues.keyword(text), document, seen);
            OptionalDouble number = MetadataValues.number(text);
            if (number.isPresent()) {
                number(key, number.getAsDouble(), document, seen);
            }
            time(key, MetadataValues.epochSeconds(text), document, seen);
        } else if (value instanceof Number number) {
            keyword(key, MetadataValues.canonical(number), document, seen);
            number(key, number.doubleValue(), document, seen);
            time(key, MetadataValues.epochSeconds(number), document, seen);
        } else if (value instanceof Boolean flag) {
            keyword(key, flag.toString(), document, seen);
        }
    }

    static void checkKey(String key) {
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("metadata keys must be 1 to " + MAX_KEY_LENGTH + " characters, not blank");
        }
    }

    private static void keyword(String key, String value, Document document, Seen seen) {
        document.add(new StringField(KEYWORD + key, value, Field.Store.NO));
        mark('s', key, document, seen);
    }

    private static void number(String key, double value, Document document, Seen seen) {
        document.add(new DoublePoint(NUMBER + key, value));
        mark('n', key, document, seen);
    }

    private static void time(String key, OptionalLong seconds, Document document, Seen seen) {
        if (seconds.isPresent()) {
            document.add(new LongPoint(TIME + key, seconds.getAsLong()));
            mark('t', key, document, seen);
        }
    }

    private static void mark(char kind, String key, Document document, Seen seen) {
        for (String mark : new String[] {has(kind, key), has('v', key)}) {
            if (seen.first(mark)) {
                document.add(new StringField(HAS, mark, Field.Store.NO));
            }
        }
    }
}
