package dev.weft.api.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks, copies and reads JSON values: {@code null}, {@link Boolean}, {@link Number},
 * {@link String}, {@link List} of JSON values and {@link Map} from {@link String} to JSON values.
 */
@ProviderType
public final class JsonValues {

    private JsonValues() {
    }

    /** Whether {@code value} is a JSON value, all the way down (cycles are not JSON values). */
    public static boolean isJsonValue(Object value) {
        return check(value, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /**
     * A deep, unmodifiable copy of a JSON value. Maps keep their key order; nulls are kept.
     *
     * @throws IllegalArgumentException if {@code value} is not a JSON value
     */
    public static Object copyOf(Object value) {
        if (!isJsonValue(value)) {
            throw new IllegalArgumentException("not a JSON value: " + describe(value));
        }
        return copy(value);
    }

    /** A deep, unmodifiable copy of a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> copyOfObject(Map<String, ?> object) {
        return (Map<String, Object>) copyOf(object);
    }

    /**
     * The member {@code key} of a JSON object, if present and a string.
     *
     * @throws ValidationException if the member is present but not a string
     */
    public static Optional<String> string(Map<String, ?> object, String key) {
        Object value = object.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String text) {
            return Optional.of(text);
        }
        throw ValidationException.of("/" + key, "must be a string, not " + describe(value));
    }

    /**
     * The member {@code key} of a JSON object, if present and a boolean.
     *
     * @throws ValidationException if the member is present but not a boolean
     */
    public static Optional<Boolean> bool(Map<String, ?> object, String key) {
        Object value = object.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Boolean flag) {
            return Optional.of(flag);
        }
        throw ValidationException.of("/" + key, "must be true or false, not " + describe(value));
    }

    /**
     * Follows a path of member names and list indices ({@code ["items", "0", "name"]}) into a JSON
     * value. Empty when any step does not exist.
     */
    public static Optional<Object> at(Object value, List<String> path) {
        Object current = value;
        for (String step : path) {
            if (current instanceof Map<?, ?> map) {
                if (!map.containsKey(step)) {
                    return Optional.empty();
                }
                current = map.get(step);
            } else if (current instanceof List<?> list) {
                int index = index(step, list.size());
                if (index < 0) {
                    return Optional.empty();
                }
                current = list.get(index);
            } else {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(current);
    }

    /** The JSON type name of a value: object, array, string, number, boolean or null. */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof Map<?, ?>) {
            return "an object";
        } else if (value instanceof List<?>) {
            return "an array";
        } else if (value instanceof String) {
            return "a string";
        } else if (value instanceof Number) {
            return "a number";
        } else if (value instanceof Boolean) {
            return "a boolean";
        }
        return "a " + value.getClass().getSimpleName();
    }

    private static boolean check(Object value, Set<Object> seen) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return true;
        }
        if (value instanceof Number number) {
            return !(number instanceof Double d && !Double.isFinite(d))
                    && !(number instanceof Float f && !Float.isFinite(f));
        }
        if (value instanceof Map<?, ?> map) {
            if (!seen.add(map)) {
                return false;
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String) || !check(entry.getValue(), seen)) {
                    return false;
                }
            }
            seen.remove(map);
            return true;
        }
        if (value instanceof List<?> list) {
            if (!seen.add(list)) {
                return false;
            }
            for (Object item : list) {
                if (!check(item, seen)) {
                    return false;
                }
            }
            seen.remove(list);
            return true;
        }
        return false;
    }

    private static Object copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put((String) key, copy(item)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(copy(item)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    private static int index(String step, int size) {
        if (step.isEmpty() || step.length() > 9 || !step.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int index = Integer.parseInt(step);
        return index < size ? index : -1;
    }
}
