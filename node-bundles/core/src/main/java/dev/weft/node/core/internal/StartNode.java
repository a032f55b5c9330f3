package dev.weft.node.core.internal;

import dev.weft.api.core.Violation;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.VariableSelector;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/**
 * {@code start} (Dify's "User Input"): checks the run's inputs against the declared
 * {@code variables} (required, type, length, options), fills defaults, and passes them on.
 */
@Component(service = NodeType.class)
public final class StartNode implements NodeType {

    static final Set<String> INPUT_TYPES = Set.of("text-input", "paragraph", "select", "number", "checkbox",
            "json_object", "file", "file-list", "external_data_tool");

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor("start", "1", "User Input",
            "The entry of a workflow: the inputs a run starts with.", "entry",
            Map.of("type", "object", "properties", Map.of("variables", Map.of("type", "array"))),
            List.of(), List.of());

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        List<Violation> problems = new ArrayList<>();
        Object variables = config.get("variables");
        if (variables == null) {
            return problems;
        }
        if (!(variables instanceof List<?> list)) {
            return List.of(new Violation("/variables", "must be a list"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "/variables/" + i;
            if (!(list.get(i) instanceof Map<?, ?> variable) || !(variable.get("variable") instanceof String name)
                    || name.isBlank()) {
                problems.add(new Violation(at, "needs a variable name"));
                continue;
            }
            if (!names.add(name)) {
                problems.add(new Violation(at, "the variable " + name + " is declared twice"));
            }
            Object type = variable.get("type");
            if (type != null && !INPUT_TYPES.contains(type)) {
                problems.add(new Violation(at + "/type", "unknown input type " + type));
            }
        }
        return problems;
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException {
        Map<String, Object> outputs = new LinkedHashMap<>();
        if (context.config().get("variables") instanceof List<?> variables) {
            for (Object item : variables) {
                if (item instanceof Map<?, ?> variable && variable.get("variable") instanceof String name) {
                    Optional<Object> value = input(context, name, variable);
                    outputs.put(name, value.orElse(null));
                }
            }
        }
        return NodeResult.of(outputs).withInputs(outputs);
    }

    private static Optional<Object> input(NodeContext context, String name, Map<?, ?> variable) throws NodeException {
        Object raw = context.variables().get(VariableSelector.of(context.nodeId(), name)).orElse(null);
        if (isBlank(raw) && variable.get("default") != null && !"".equals(variable.get("default"))) {
            raw = variable.get("default");
        }
        String label = variable.get("label") instanceof String text && !text.isBlank() ? text + " (" + name + ")" : name;
        if (isBlank(raw)) {
            if (Boolean.TRUE.equals(variable.get("required"))) {
                throw new NodeException("input_required", label + " is required");
            }
            return Optional.empty();
        }
        String type = variable.get("type") instanceof String text ? text : "text-input";
        return Optional.ofNullable(switch (type) {
            case "number" -> number(raw, label);
            case "checkbox" -> bool(raw, label);
            case "select" -> option(raw, variable.get("options"), label);
            case "json_object" -> object(raw, label);
            case "file" -> file(raw, label);
            case "file-list" -> files(raw, label);
            default -> text(raw, variable.get("max_length"), label);
        });
    }

    private static boolean isBlank(Object value) {
        return value == null || (value instanceof String text && text.isEmpty());
    }

    private static Object text(Object raw, Object maxLength, String label) throws NodeException {
        if (!(raw instanceof String) && !(raw instanceof Number) && !(raw instanceof Boolean)) {
            throw new NodeException("input_invalid", label + " must be text");
        }
        String text = String.valueOf(raw);
        if (maxLength instanceof Number max && max.intValue() > 0 && text.length() > max.intValue()) {
            throw new NodeException("input_invalid", label + " must be at most " + max.intValue()
                    + " characters, not " + text.length());
        }
        return text;
    }

    private static Object number(Object raw, String label) throws NodeException {
        if (raw instanceof Number number) {
            return number;
        }
        if (raw instanceof String text) {
            try {
                BigDecimal decimal = new BigDecimal(text.strip());
                return decimal.scale() <= 0 ? (Object) decimal.longValueExact() : (Object) decimal.doubleValue();
            } catch (NumberFormatException | ArithmeticException e) {
                // reported below
            }
        }
        throw new NodeException("input_invalid", label + " must be a number");
    }

    private static Object bool(Object raw, String label) throws NodeException {
        if (raw instanceof Boolean flag) {
            return flag;
        }
        if ("true".equalsIgnoreCase(String.valueOf(raw)) || "false".equalsIgnoreCase(String.valueOf(raw))) {
            return Boolean.parseBoolean(String.valueOf(raw));
        }
        throw new NodeException("input_invalid", label + " must be true or false");
    }

    private static Object option(Object raw, Object options, String label) throws NodeException {
        if (options instanceof List<?> list && !list.isEmpty() && !list.contains(raw)) {
            throw new NodeException("input_invalid", label + " must be one of " + list);
        }
        return raw;
    }

    private static Object object(Object raw, String label) throws NodeException {
        if (raw instanceof Map<?, ?>) {
            return raw;
        }
        if (raw instanceof String text) {
            Object parsed = JsonText.parse(text.strip());
            if (parsed instanceof Map<?, ?>) {
                return parsed;
            }
        }
        throw new NodeException("input_invalid", label + " must be a JSON object");
    }

    private static Object file(Object raw, String label) throws NodeException {
        if (raw instanceof Map<?, ?>) {
            return raw;
        }
        throw new NodeException("input_invalid", label + " must be a file");
    }

    private static Object files(Object raw, String label) throws NodeException {
        if (raw instanceof List<?> list && list.stream().allMatch(item -> item instanceof Map<?, ?>)) {
            return raw;
        }
        throw new NodeException("input_invalid", label + " must be a list of files");
    }

}
