package dev.weft.node.logic.internal;

import dev.weft.api.core.Violation;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableUpdate;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/**
 * {@code assigner} (Dify's "Variable Assigner"): writes conversation and loop variables. Version 2
 * takes {@code items[{variable_selector, input_type, operation, value}]}; version 1 one
 * {@code assigned_variable_selector} with a {@code write_mode} and an
 * {@code input_variable_selector}. The engine applies the writes.
 */
@Component(service = NodeType.class)
public final class AssignerNode implements NodeType {

    static final Set<String> OPERATIONS = Set.of("over-write", "clear", "set", "append", "extend", "+=", "-=", "*=",
            "/=", "remove-first", "remove-last");

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor("assigner", "2", "Variable Assigner",
            "Writes conversation and loop variables.", "transform",
            Map.of("type", "object", "properties", Map.of("items", Map.of("type", "array"))), List.of(), List.of());

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        List<Violation> problems = new ArrayList<>();
        if (config.get("items") instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                String at = "/items/" + i;
                if (!(items.get(i) instanceof Map<?, ?> item)) {
                    problems.add(new Violation(at, "must be an assignment"));
                    continue;
                }
                if (!OPERATIONS.contains(String.valueOf(item.get("operation")))) {
                    problems.add(new Violation(at + "/operation", "unknown operation " + item.get("operation")));
                }
            }
        } else if (config.get("assigned_variable_selector") == null && config.get("items") != null) {
            problems.add(new Violation("/items", "must be a list"));
        }
        return problems;
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException {
        Map<String, Object> config = context.config();
        Map<VariableSelector, Object> values = new LinkedHashMap<>();
        List<Map<String, Object>> written = new ArrayList<>();
        for (Map<?, ?> item : items(config)) {
            Optional<VariableSelector> target = VariableSelector.fromJson(item.get("variable_selector"));
            if (target.isEmpty()) {
                continue;
            }
            VariableSelector variable = target.get();
            Object current = values.containsKey(variable) ? values.get(variable)
                    : context.variables().get(variable).orElse(null);
            String operation = String.valueOf(item.get("operation"));
            Object input = "variable".equals(item.get("input_type"))
                    ? VariableSelector.fromJson(item.get("value")).flatMap(s -> context.variables().get(s)).orElse(null)
                    : item.get("value");
            Object next = apply(operation, current, input, variable);
            values.put(variable, next);
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("variable", variable.toString());
            record.put("operation", operation);
            record.put("value", next);
            written.add(record);
        }
        List<VariableUpdate> updates = new ArrayList<>();
        values.forEach((selector, value) -> updates.add(new VariableUpdate(selector, value)));
        return NodeResult.of(Map.of()).withProcessData(Map.of("updated_variables", written)).withUpdates(updates);
    }

    /** The assignments, from version 2's items or version 1's single assignment. */
    private static List<Map<?, ?>> items(Map<String, Object> config) {
        List<Map<?, ?>> items = new ArrayList<>();
        if (config.get("items") instanceof List<?> list) {
            list.forEach(item -> {
                if (item instanceof Map<?, ?> map) {
                    items.add(map);
                }
            });
        } else if (config.get("assigned_variable_selector") != null) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("variable_selector", config.get("assigned_variable_selector"));
            item.put("operation", config.getOrDefault("write_mode", "over-write"));
            item.put("input_type", "variable");
            item.put("value", config.get("input_variable_selector"));
            items.add(item);
        }
        return items;
    }

    static Object apply(String operation, Object current, Object input, VariableSelector variable) throws NodeException {
        return switch (operation) {
            case "over-write", "set" -> input;
            case "clear" -> empty(current);
            case "append" -> {
                List<Object> list = list(current, variable, operation);
                list.add(input);
                yield list;
            }
            case "extend" -> {
                List<Object> list = list(current, variable, operation);
                if (!(input instanceof List<?> more)) {
                    throw new NodeException("assignment_invalid", "extend needs an array to add to " + variable);
                }
                list.addAll(more);
                yield list;
            }
            case "remove-first" -> {
                List<Object> list = list(current, variable, operation);
                yield list.isEmpty() ? list : new ArrayList<>(list.subList(1, list.size()));
            }
            case "remove-last" -> {
                List<Object> list = list(current, variable, operation);
                yield list.isEmpty() ? list : new ArrayList<>(list.subList(0, list.size() - 1));
            }
            case "+=", "-=", "*=", "/=" -> arithmetic(operation, current, input, variable);
            default -> throw new NodeException("invalid_config", "unknown operation '" + operation + "'");
        };
    }

    private static Object arithmetic(String operation, Object current, Object input, VariableSelector variable)
            throws NodeException {
        BigDecimal left = Comparison.number(current == null ? 0 : current);
        BigDecimal right = Comparison.number(input);
        if (left == null || right == null) {
            throw new NodeException("assignment_invalid", operation + " needs numbers for " + variable);
        }
        BigDecimal result = switch (operation) {
            case "+=" -> left.add(right);
            case "-=" -> left.subtract(right);
            case "*=" -> left.multiply(right);
            default -> {
                if (right.signum() == 0) {
                    throw new NodeException("assignment_invalid", "cannot divide " + variable + " by zero");
                }
                yield left.divide(right, MathContext.DECIMAL64);
            }
        };
        result = result.stripTrailingZeros();
        return result.scale() <= 0 && result.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
                ? (Object) result.longValueExact() : (Object) result.doubleValue();
    }

    private static List<Object> list(Object current, VariableSelector variable, String operation) throws NodeException {
        if (current == null) {
            return new ArrayList<>();
        }
        if (current instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        throw new NodeException("assignment_invalid", operation + " applies to arrays, and " + variable + " is not one");
    }

    /** The empty value of a variable's kind. */
    private static Object empty(Object current) {
        if (current instanceof String) {
            return "";
        }
        if (current instanceof Number) {
            return 0L;
        }
        if (current instanceof Boolean) {
            return false;
        }
        if (current instanceof List<?>) {
            return List.of();
        }
        if (current instanceof Map<?, ?>) {
            return Map.of();
        }
        return null;
    }
}
