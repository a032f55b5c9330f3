package dev.weft.rag.chunker.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads typed values out of a JSON-shaped configuration map, with the path of each value in the
 * error message ({@code rules.segmentation.max_tokens must be ...}) so the caller can show it as
 * it is. Every problem is an {@link IllegalArgumentException}.
 */
final class ConfigReader {

    private ConfigReader() {
    }

    /** The value as an object; absent (null) reads as an empty object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String path) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                if (!(key instanceof String)) {
                    throw new IllegalArgumentException(path + " must be a JSON object with text keys");
                }
            }
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(path + " must be an object, got " + kind(value));
    }

    /** Rejects keys other than the allowed ones, naming them and the keys that are allowed. */
    static void onlyKeys(Map<String, Object> object, String path, Set<String> allowed) {
        Set<String> unknown = new TreeSet<>(object.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown setting" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown.stream().map(key -> join(path, key)).toList())
                    + "; allowed in " + (path.isEmpty() ? "the configuration" : path) + ": "
                    + String.join(", ", new TreeSet<>(allowed)));
        }
    }

    static Optional<String> string(Map<String, Object> object, String key, String path) {
        Object value = object.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String text) {
            return Optional.of(text);
        }
        throw new IllegalArgumentException(join(path, key) + " must be text, got " + kind(value));
    }

    static Optional<Boolean> bool(Map<String, Object> object, String key, String path) {
        Object value = object.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Boolean flag) {
            return Optional.of(flag);
        }
        throw new IllegalArgumentException(join(path, key) + " must be true or false, got " + kind(value));
    }

    /** A whole number; JSON numbers such as {@code 500.0} count, {@code 500.5} and {@code "500"} do not. */
    static OptionalInt integer(Map<String, Object> object, String key, String path) {
        Object value = object.get(key);
        if (value == null) {
            return OptionalInt.empty();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return checkedInt(new BigDecimal(value.toString()), join(path, key));
        }
        if (value instanceof Number number) {
            BigDecimal decimal;
            try {
                decimal = new BigDecimal(number.toString());
            } catch (NumberFormatException notFinite) {
                throw new IllegalArgumentException(join(path, key) + " must be a whole number, got " + number);
            }
            if (decimal.stripTrailingZeros().scale() > 0) {
                throw new IllegalArgumentException(join(path, key) + " must be a whole number, got " + number);
            }
            return checkedInt(decimal, join(path, key));
        }
        throw new IllegalArgumentException(join(path, key) + " must be a whole number, got " + kind(value));
    }

    private static OptionalInt checkedInt(BigDecimal value, String where) {
        try {
            return OptionalInt.of(value.intValueExact());
        } catch (ArithmeticException tooLarge) {
            throw new IllegalArgumentException(where + " is out of range: " + value.toPlainString());
        }
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String kind(Object value) {
        if (value instanceof String text) {
            return "text \"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof Iterable<?>) {
            return "a list";
        }
        return value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + value;
    }
}
