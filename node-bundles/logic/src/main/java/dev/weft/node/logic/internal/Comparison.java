package dev.weft.node.logic.internal;

import dev.weft.spi.node.NodeException;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Dify's comparison operators, with Dify's answers for missing values: "contains" and
 * "start with" are false for nothing, "not contains" and "empty" are true, numbers compare as
 * numbers (numeric text included), "in" and "all of" take lists.
 */
public final class Comparison {

    /** Every operator, as DSL files write them. */
    public static final Set<String> OPERATORS = Set.of("contains", "not contains", "start with", "end with", "is",
            "is not", "empty", "not empty", "in", "not in", "all of", "=", "≠", ">", "<", "≥", "≤", "null", "not null",
            "exists", "not exists");

    private Comparison() {
    }

    /**
     * Whether {@code actual operator expected} holds.
     *
     * @throws NodeException when the operator does not apply to the value (a number compared with text)
     */
    public static boolean holds(String operator, Object actual, Object expected) throws NodeException {
        return switch (operator) {
            case "contains" -> actual != null && !isEmpty(actual) && contains(actual, expected);
            case "not contains" -> actual == null || isEmpty(actual) || !contains(actual, expected);
            case "start with" -> actual instanceof String text && !text.isEmpty() && text.startsWith(text(expected));
            case "end with" -> actual instanceof String text && !text.isEmpty() && text.endsWith(text(expected));
            case "is" -> actual != null && same(actual, expected);
            case "is not" -> actual != null && !same(actual, expected);
            case "empty" -> isEmpty(actual);
            case "not empty" -> !isEmpty(actual);
            case "in" -> actual != null && !isEmpty(actual) && list(expected).contains(normal(actual));
            case "not in" -> actual == null || isEmpty(actual) || !list(expected).contains(normal(actual));
            case "all of" -> actual instanceof Collection<?> values && !values.isEmpty()
                    && values.stream().map(Comparison::normal).toList().containsAll(list(expected));
            case "=", "≠", ">", "<", "≥", "≤", "==", "!=", ">=", "<=" -> actual != null && numeric(operator, actual, expected);
            case "null" -> actual == null;
            case "not null", "exists" -> actual != null;
            case "not exists" -> actual == null;
            default -> throw new NodeException("invalid_config", "unknown comparison operator '" + operator + "'");
        };
    }

    static boolean isEmpty(Object value) {
        return value == null || (value instanceof String text && text.isEmpty())
                || (value instanceof Collection<?> list && list.isEmpty()) || (value instanceof Map<?, ?> map && map.isEmpty());
    }

    private static boolean contains(Object actual, Object expected) throws NodeException {
        if (actual instanceof String text) {
            return text.contains(text(expected));
        }
        if (actual instanceof Collection<?> values) {
            Object wanted = normal(expected);
            return values.stream().map(Comparison::normal).anyMatch(value -> value.equals(wanted));
        }
        throw new NodeException("comparison_invalid", "'contains' applies to text and arrays, not to " + kind(actual));
    }

    private static boolean same(Object actual, Object expected) {
        if (actual instanceof Boolean flag) {
            return flag.toString().equalsIgnoreCase(text(expected).strip());
        }
        if (actual instanceof Number number) {
            BigDecimal expectedNumber = number(expected);
            return expectedNumber != null && decimal(number).compareTo(expectedNumber) == 0;
        }
        return String.valueOf(actual).equals(text(expected));
    }

    private static boolean numeric(String operator, Object actual, Object expected) throws NodeException {
        BigDecimal left = actual instanceof Boolean flag ? BigDecimal.valueOf(flag ? 1 : 0) : number(actual);
        if (left == null) {
            throw new NodeException("comparison_invalid", "'" + operator + "' compares numbers, and the value is "
                    + kind(actual));
        }
        BigDecimal right = number(expected);
        if (right == null) {
            throw new NodeException("comparison_invalid", "'" + operator + "' compares numbers, and '" + text(expected)
                    + "' is not one");
        }
        int order = left.compareTo(right);
        return switch (operator) {
            case "=", "==" -> order == 0;
            case "≠", "!=" -> order != 0;
            case ">" -> order > 0;
            case "<" -> order < 0;
            case "≥", ">=" -> order >= 0;
            default -> order <= 0;
        };
    }

    static BigDecimal number(Object value) {
        if (value instanceof Number number) {
            return decimal(number);
        }
        if (value instanceof String text && !text.isBlank()) {
            try {
                return new BigDecimal(text.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static BigDecimal decimal(Number number) {
        return number instanceof BigDecimal decimal ? decimal : new BigDecimal(number.toString());
    }

    /** Values compared as text: numbers without a needless ".0", booleans in lower case. */
    private static Object normal(Object value) {
        if (value instanceof Number number) {
            return decimal(number).stripTrailingZeros().toPlainString();
        }
        return value == null ? "" : value instanceof String ? value : String.valueOf(value).toLowerCase(Locale.ROOT);
    }

    private static List<Object> list(Object expected) {
        if (expected instanceof Collection<?> values) {
            return values.stream().map(Comparison::normal).toList();
        }
        return expected == null ? List.of() : List.of(normal(expected));
    }

    private static String text(Object value) {
        return value == null ? "" : value instanceof Number number ? String.valueOf(normal(number)) : String.valueOf(value);
    }

    private static String kind(Object value) {
        if (value instanceof String) {
            return "text";
        }
        if (value instanceof Collection<?>) {
            return "an array";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        return value == null ? "nothing" : value.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
}
