package dev.weft.spi.node;

import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The address of a variable in a run's variable pool: {@code [nodeId, name, ...path]}.
 *
 * <p>The first part is the id of the node that wrote the variable, or one of the reserved
 * namespaces {@code sys}, {@code env} and {@code conversation}; the second is the variable's name;
 * further parts walk into objects and arrays. In text, Dify writes a selector as
 * {@code {{#node.name.path#}}}.
 */
@ProviderType
public record VariableSelector(List<String> parts) {

    public VariableSelector {
        parts = List.copyOf(Objects.requireNonNull(parts, "parts"));
        if (parts.size() < 2) {
            throw new IllegalArgumentException("a selector needs a node id and a variable name: " + parts);
        }
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("selector parts cannot be empty: " + parts);
            }
        }
    }

    /** {@code of("node", "var")}. */
    public static VariableSelector of(String... parts) {
        return new VariableSelector(List.of(parts));
    }

    /** Parses the dotted form used inside {@code {{#...#}}}: {@code node.var.path}. */
    public static VariableSelector parse(String dotted) {
        return new VariableSelector(List.of(Objects.requireNonNull(dotted, "dotted").split("\\.", -1)));
    }

    /**
     * Reads a selector as DSL files write it: a JSON array of at least two parts (numbers, as some
     * older files write node ids, become text). Empty when the value is not one, or not set.
     *
     * @since 1.1
     */
    public static java.util.Optional<VariableSelector> fromJson(Object value) {
        if (!(value instanceof List<?> list) || list.size() < 2) {
            return java.util.Optional.empty();
        }
        List<String> parts = new java.util.ArrayList<>(list.size());
        for (Object part : list) {
            String text = part instanceof String s ? s : part instanceof Number n ? String.valueOf(n) : null;
            if (text == null || text.isEmpty()) {
                return java.util.Optional.empty();
            }
            parts.add(text);
        }
        return java.util.Optional.of(new VariableSelector(parts));
    }

    /** The id of the node that owns the variable, or {@code sys}, {@code env}, {@code conversation}. */
    public String nodeId() {
        return parts.get(0);
    }

    /** The variable's name. */
    public String name() {
        return parts.get(1);
    }

    /** The steps into the variable's value; empty for the value itself. */
    public List<String> path() {
        return parts.subList(2, parts.size());
    }

    /** The dotted form, {@code node.var.path}. */
    @Override
    public String toString() {
        return String.join(".", parts);
    }
}
