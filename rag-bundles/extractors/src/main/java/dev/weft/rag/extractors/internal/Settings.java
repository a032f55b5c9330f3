package dev.weft.rag.extractors.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an extractor's configuration from its component properties (Configuration Admin, PID
 * {@code dev.weft.rag.extractors.<id>}) and describes it as a JSON schema for the descriptor.
 *
 * <p>Values may arrive as numbers or as strings (a {@code .cfg} file gives strings); anything out of
 * range fails activation with a message naming the property, rather than silently using a default.
 */
final class Settings {

    static final long MB = 1024L * 1024L;

    /** Common to every extractor. */
    static final String MAX_INPUT_BYTES = "maxInputBytes";
    static final String MAX_TEXT_CHARS = "maxTextChars";
    static final long DEFAULT_MAX_INPUT_BYTES = 50 * MB;
    static final long DEFAULT_MAX_TEXT_CHARS = 20_000_000L;

    private final Map<String, ?> properties;

    Settings(Map<String, ?> properties) {
        this.properties = properties == null ? Map.of() : properties;
    }

    Limits limits() {
        return new Limits(longValue(MAX_INPUT_BYTES, DEFAULT_MAX_INPUT_BYTES, 1, Long.MAX_VALUE),
                longValue(MAX_TEXT_CHARS, DEFAULT_MAX_TEXT_CHARS, 1, Integer.MAX_VALUE - 16));
    }

    long longValue(String key, long defaultValue, long min, long max) {
        Object value = properties.get(key);
        long result;
        if (value == null) {
            return defaultValue;
        } else if (value instanceof Number number) {
            result = number.longValue();
        } else {
            try {
                result = Long.parseLong(value.toString().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number, not " + value);
            }
        }
        if (result < min || result > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + result);
        }
        return result;
    }

    double doubleValue(String key, double defaultValue, double min, double max) {
        Object value = properties.get(key);
        double result;
        if (value == null) {
            return defaultValue;
        } else if (value instanceof Number number) {
            result = number.doubleValue();
        } else {
            try {
                result = Double.parseDouble(value.toString().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a number, not " + value);
            }
        }
        if (!(result >= min && result <= max)) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + result);
        }
        return result;
    }

    boolean booleanValue(String key, boolean defaultValue) {
        Object value = properties.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException(key + " must be true or false, not " + value);
    }

    String stringValue(String key, String defaultValue, List<String> allowed) {
        Object value = properties.get(key);
        if (value == null) {
            return defaultValue;
        }
        String text = value.toString();
        if (!allowed.contains(text)) {
            throw new IllegalArgumentException(key + " must be one of " + allowed + ", not " + text);
        }
        return text;
    }

    /** A JSON schema of an object with the common limits plus {@code extra} properties. */
    static Map<String, Object> schema(Map<String, Object> extra) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(MAX_INPUT_BYTES, integer("The largest file accepted, in bytes", DEFAULT_MAX_INPUT_BYTES, 1));
        props.put(MAX_TEXT_CHARS, integer("The most characters of text a file may yield", DEFAULT_MAX_TEXT_CHARS, 1));
        props.putAll(extra);
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", props);
        schema.put("additionalProperties", false);
        return schema;
    }

    static Map<String, Object> integer(String description, long defaultValue, long minimum) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "integer");
        p.put("description", description);
        p.put("default", defaultValue);
        p.put("minimum", minimum);
        return p;
    }

    static Map<String, Object> number(String description, double defaultValue, double minimum, double maximum) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "number");
        p.put("description", description);
        p.put("default", defaultValue);
        p.put("minimum", minimum);
        p.put("maximum", maximum);
        return p;
    }

    static Map<String, Object> bool(String description, boolean defaultValue) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "boolean");
        p.put("description", description);
        p.put("default", defaultValue);
        return p;
    }

    static Map<String, Object> choice(String description, String defaultValue, List<String> values) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "string");
        p.put("description", description);
        p.put("default", defaultValue);
        p.put("enum", List.copyOf(values));
        return p;
    }

    /** A copy of {@code map} with one more entry. */
    static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    /** The limits every extractor enforces. */
    record Limits(long maxInputBytes, long maxTextChars) {
    }
}
