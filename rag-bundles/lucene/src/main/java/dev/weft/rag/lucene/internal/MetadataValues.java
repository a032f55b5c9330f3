package dev.weft.rag.lucene.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * How metadata values are read for indexing and filtering: strings compare without case, numbers
 * as doubles, and times as epoch seconds (Dify keeps its {@code time} metadata as epoch seconds).
 */
final class MetadataValues {

    /** Strings longer than this are indexed (and compared) by their first this many characters. */
    static final int MAX_INDEXED_CHARS = 4096;

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern DATE_LIKE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}.*");

    private MetadataValues() {
    }

    /** The form a string is indexed and compared in: lower-cased, at most {@link #MAX_INDEXED_CHARS}. */
    static String keyword(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.length() <= MAX_INDEXED_CHARS) {
            return lower;
        }
        int end = MAX_INDEXED_CHARS;
        if (Character.isHighSurrogate(lower.charAt(end - 1))) {
            end--;
        }
        return lower.substring(0, end);
    }

    /** A number's text without a needless fraction, so that 5, 5.0 and "5" read alike. */
    static String canonical(Number number) {
        if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte
                || number instanceof BigInteger) {
            return number.toString();
        }
        BigDecimal decimal = number instanceof BigDecimal big ? big : new BigDecimal(Double.toString(number.doubleValue()));
        return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
    }

    /** A number, or a string that is a plain decimal number; empty otherwise. */
    static OptionalDouble number(Object value) {
        if (value instanceof Number number) {
            double d = number.doubleValue();
            return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
        }
        if (value instanceof String text && NUMBER.matcher(text.trim()).matches()) {
            double d = Double.parseDouble(text.trim());
            return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
        }
        return OptionalDouble.empty();
    }

    /**
     * A time in epoch seconds: a whole number is taken as epoch seconds; a string as an ISO-8601
     * instant ({@code 2024-05-01T10:00:00Z}), date-time with offset, local date-time (UTC; a space may
     * replace the {@code T}) or date (its start, UTC). Empty when the value is none of these.
     */
    static OptionalLong epochSeconds(Object value) {
        if (value instanceof Number number) {
            double d = number.doubleValue();
            if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e17) {
                return OptionalLong.of((long) d);
            }
            return OptionalLong.empty();
        }
        if (!(value instanceof String text)) {
            return OptionalLong.empty();
        }
        String trimmed = text.trim();
        if (NUMBER.matcher(trimmed).matches()) {
            return epochSeconds(Double.parseDouble(trimmed));
        }
        if (!DATE_LIKE.matcher(trimmed).matches() || trimmed.length() > 40) {
            return OptionalLong.empty();
        }
        String iso = trimmed.length() > 10 && trimmed.charAt(10) == ' '
                ? trimmed.substring(0, 10) + 'T' + trimmed.substring(11) : trimmed;
        try {
            if (iso.length() == 10) {
                return OptionalLong.of(LocalDate.parse(iso).atStartOfDay(ZoneOffset.UTC).toEpochSecond());
            }
            if (iso.endsWith("Z") || iso.endsWith("z")) {
                return OptionalLong.of(Instant.parse(iso.toUpperCase(Locale.ROOT)).getEpochSecond());
            }
            int timeStart = iso.indexOf('T');
            if (timeStart > 0 && (iso.indexOf('+', timeStart) > 0 || iso.indexOf('-', timeStart) > 0)) {
                return OptionalLong.of(OffsetDateTime.parse(iso).toEpochSecond());
            }
            return OptionalLong.of(LocalDateTime.parse(iso).toEpochSecond(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return OptionalLong.empty();
        }
    }
}
