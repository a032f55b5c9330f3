package dev.weft.platform.engine.internal.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;

/** Turns a value written in a DSL file (often as text) into a value of a Dify variable type. */
final class Conversions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Conversions() {
    }

    /**
     * The value as the type: numbers from numeric text, booleans from {@code true}/{@code false},
     * objects and arrays from JSON text; other values as they are.
     */
    static Object to(String type, Object value) {
        if (value == null || type == null) {
            return value;
        }
        if (!(value instanceof String text)) {
            return value;
        }
        String trimmed = text.strip();
        try {
            return switch (type) {
                case "number", "integer", "float" -> trimmed.isEmpty() ? null : number(trimmed);
                case "boolean" -> trimmed.isEmpty() ? null : Boolean.parseBoolean(trimmed);
                case "object" -> trimmed.isEmpty() ? null : JSON.readValue(trimmed, Object.class);
                default -> type.startsWith("array") && trimmed.startsWith("[") ? JSON.readValue(trimmed, Object.class) : text;
            };
        } catch (JsonProcessingException | NumberFormatException e) {
            return text;
        }
    }

    static Number number(String text) {
        BigDecimal decimal = new BigDecimal(text);
        if (decimal.scale() <= 0 && decimal.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
            return decimal.longValueExact();
        }
        return decimal.doubleValue();
    }
}
