package dev.weft.node.code.internal;

import dev.weft.api.core.Violation;
import dev.weft.spi.node.NodeException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dify's checks of what a code node returns: every declared output present and of its type, nothing
 * undeclared, strings at most 400,000 characters (NUL characters removed), numbers within the
 * 64-bit integer range and at most 20 decimal places, objects at most 5 levels deep, string and
 * object arrays at most 30 elements, number arrays at most 1,000.
 */
final class OutputSchema {

    static final int MAX_STRING_LENGTH = 400_000;
    static final int MAX_DEPTH = 5;
    static final int MAX_PRECISION = 20;
    static final int MAX_STRING_ARRAY = 30;
    static final int MAX_OBJECT_ARRAY = 30;
    static final int MAX_NUMBER_ARRAY = 1000;
    static final BigInteger MAX_NUMBER = BigInteger.valueOf(Long.MAX_VALUE);
    static final BigInteger MIN_NUMBER = BigInteger.valueOf(Long.MIN_VALUE);
    static final Set<String> TYPES = Set.of("string", "number", "object", "boolean", "array[string]", "array[number]",
            "array[object]", "array[boolean]");

    private OutputSchema() {
    }

    static void validate(Map<?, ?> outputs, String path, List<Violation> problems) {
        for (Map.Entry<?, ?> entry : outputs.entrySet()) {
            String where = path + "/" + entry.getKey();
            if (!(entry.getValue() instanceof Map<?, ?> output) || !(output.get("type") instanceof String type)) {
                problems.add(new Violation(where, "needs a type"));
                continue;
            }
            if (!TYPES.contains(type)) {
                problems.add(new Violation(where + "/type", "must be one of " + String.join(", ", TYPES.stream().sorted().toList())));
            }
            if (output.get("children") instanceof Map<?, ?> children) {
                validate(children, where + "/children", problems);
            }
        }
    }

    /** The outputs, checked (and strings cleaned) against the declared schema; a null schema checks values by their own types. */
    static Map<String, Object> check(Map<String, Object> result, Map<?, ?> schema) throws NodeException {
        return transform(result, schema, "", 1);
    }

    private static Map<String, Object> transform(Map<?, ?> result, Map<?, ?> schema, String prefix, int depth) throws NodeException {
        if (depth > MAX_DEPTH) {
            throw new NodeException("depth_limit_error", "Depth limit " + MAX_DEPTH + " reached, object too deep.");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (schema == null) {
            for (Map.Entry<?, ?> entry : result.entrySet()) {
                String name = String.valueOf(entry.getKey());
                String variable = prefix.isEmpty() ? name : prefix + "." + name;
                out.put(name, untyped(entry.getValue(), variable, depth));
            }
            return out;
        }
        String dot = prefix.isEmpty() ? "" : ".";
        int validated = 0;
        for (Map.Entry<?, ?> entry : schema.entrySet()) {
            String name = String.valueOf(entry.getKey());
            String variable = prefix + dot + name;
            if (!result.containsKey(name)) {
                throw invalid("Output " + variable + " is missing.");
            }
            Object value = result.get(name);
            String type = entry.getValue() instanceof Map<?, ?> output && output.get("type") instanceof String t ? t : "";
            Map<?, ?> children = entry.getValue() instanceof Map<?, ?> output && output.get("children") instanceof Map<?, ?> c ? c : null;
            out.put(name, switch (type) {
                case "object" -> {
                    if (value == null) {
                        yield null;
                    }
                    if (!(value instanceof Map<?, ?> object)) {
                        throw invalid("Output " + variable + " is not an object, got " + pythonType(value) + " instead.");
                    }
                    yield transform(object, children, prefix + "." + name, depth + 1);
                }
                case "number" -> number(value, variable);
                case "string" -> string(value, variable);
                case "boolean" -> bool(value, variable);
                case "array[number]" -> array(value, variable, MAX_NUMBER_ARRAY, (item, i) -> {
                    if (!(item instanceof Number)) {
                        throw invalid("The element at index " + i + " of output variable `" + variable + "` must be a number.");
                    }
                    return number(item, variable + "[" + i + "]");
                });
                case "array[string]" -> array(value, variable, MAX_STRING_ARRAY, (item, i) -> {
                    if (!(item instanceof String)) {
                        throw invalid("The element at index " + i + " of output variable `" + variable + "` must be a string.");
                    }
                    return string(item, variable + "[" + i + "]");
                });
                case "array[boolean]" -> array(value, variable, Integer.MAX_VALUE, (item, i) -> {
                    if (!(item instanceof Boolean)) {
                        throw invalid("The element at index " + i + " of output variable `" + variable + "` must be a boolean.");
                    }
                    return item;
                });
                case "array[object]" -> array(value, variable, MAX_OBJECT_ARRAY, (item, i) -> {
                    if (item == null) {
                        return null;
                    }
                    if (!(item instanceof Map<?, ?> object)) {
                        throw invalid("Output " + variable + "[" + i + "] is not an object, got " + pythonType(item)
                                + " instead at index " + i + ".");
                    }
                    return transform(object, null, variable + "[" + i + "]", depth + 1);
                });
                default -> throw invalid("Output type " + type + " is not supported.");
            });
            validated++;
        }
        if (validated != result.size()) {
            throw invalid("Not all output parameters are validated.");
        }
        return out;
    }

    /** A value checked by its own type, where no schema says what it should be. */
    private static Object untyped(Object value, String variable, int depth) throws NodeException {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> object) {
            return transform(object, null, variable, depth + 1);
        }
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number) {
            return number(value, variable);
        }
        if (value instanceof String) {
            return string(value, variable);
        }
        if (value instanceof List<?> list) {
            // the first element that is not null decides the array's type (Dify looks at the first only)
            Object first = list.stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (first == null) {
                return list;
            }
            List<Object> out = new ArrayList<>();
            if (first instanceof Number && list.stream().allMatch(v -> v == null || v instanceof Number)) {
                for (int i = 0; i < list.size(); i++) {
                    out.add(number(list.get(i), variable + "[" + i + "]"));
                }
            } else if (first instanceof String && list.stream().allMatch(v -> v == null || v instanceof String)) {
                for (int i = 0; i < list.size(); i++) {
                    out.add(string(list.get(i), variable + "[" + i + "]"));
                }
            } else if (first instanceof Boolean && list.stream().allMatch(v -> v == null || v instanceof Boolean)) {
                out.addAll(list);
            } else if (first instanceof Map<?, ?> && list.stream().allMatch(v -> v == null || v instanceof Map<?, ?>)) {
                for (Object item : list) {
                    out.add(item == null ? null : transform((Map<?, ?>) item, null, variable, depth + 1));
                }
            } else {
                throw invalid("Output " + variable + " is not a valid array. make sure all elements are of the same type.");
            }
            return out;
        }
        throw invalid("Output " + variable + " is not a valid type.");
    }

    private static Object string(Object value, String variable) throws NodeException {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw invalid("Output variable `" + variable + "` must be a string");
        }
        if (text.length() > MAX_STRING_LENGTH) {
            throw invalid("The length of output variable `" + variable + "` must be less than " + MAX_STRING_LENGTH
                    + " characters");
        }
        return text.replace("\u0000", "");
    }

    private static Object number(Object value, String variable) throws NodeException {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number)) {
            throw invalid("Output variable `" + variable + "` must be a number");
        }
        if ((number instanceof Double || number instanceof Float)
                && (Double.isInfinite(number.doubleValue()) || Double.isNaN(number.doubleValue()))) {
            throw invalid("Output variable `" + variable + "` is out of range, it must be between " + MIN_NUMBER
                    + " and " + MAX_NUMBER + ".");
        }
        BigDecimal decimal = new BigDecimal(number instanceof Double || number instanceof Float
                ? Double.toString(number.doubleValue()) : number.toString());
        if (decimal.compareTo(new BigDecimal(MAX_NUMBER)) > 0 || decimal.compareTo(new BigDecimal(MIN_NUMBER)) < 0) {
            throw invalid("Output variable `" + variable + "` is out of range, it must be between " + MIN_NUMBER
                    + " and " + MAX_NUMBER + ".");
        }
        if ((number instanceof Double || number instanceof Float) && decimal.stripTrailingZeros().scale() > MAX_PRECISION) {
            throw invalid("Output variable `" + variable + "` has too high precision, it must be less than "
                    + MAX_PRECISION + " digits.");
        }
        return number;
    }

    private static Object bool(Object value, String variable) throws NodeException {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Boolean)) {
            throw invalid("Output variable `" + variable + "` must be a boolean");
        }
        return value;
    }

    @FunctionalInterface
    private interface ItemCheck {
        Object check(Object item, int index) throws NodeException;
    }

    private static Object array(Object value, String variable, int max, ItemCheck check) throws NodeException {
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            throw invalid("Output " + variable + " is not an array, got " + pythonType(value) + " instead.");
        }
        if (list.size() > max) {
            throw invalid("The length of output variable `" + variable + "` must be less than " + max + " elements.");
        }
        List<Object> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(check.check(list.get(i), i));
        }
        return out;
    }

    private static String pythonType(Object value) {
        if (value instanceof String) {
            return "<class 'str'>";
        }
        if (value instanceof Boolean) {
            return "<class 'bool'>";
        }
        if (value instanceof Double || value instanceof Float) {
            return "<class 'float'>";
        }
        if (value instanceof Number) {
            return "<class 'int'>";
        }
        if (value instanceof List<?>) {
            return "<class 'list'>";
        }
        if (value instanceof Map<?, ?>) {
            return "<class 'dict'>";
        }
        return "<class 'NoneType'>";
    }

    private static NodeException invalid(String message) {
        return new NodeException("output_validation_error", message);
    }
}
