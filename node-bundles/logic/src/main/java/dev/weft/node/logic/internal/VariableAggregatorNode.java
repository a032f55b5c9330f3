package dev.weft.node.logic.internal;

import dev.weft.api.core.Violation;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableSpec;
import dev.weft.spi.node.VariableType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;

/**
 * {@code variable-aggregator}: merges exclusive branches by taking the first of its
 * {@code variables} that has a value, as {@code output}; with
 * {@code advanced_settings.group_enabled}, one {@code {output}} per group. Older files call the
 * same node {@code variable-assigner} ({@link Legacy}).
 */
@Component(service = NodeType.class)
public class VariableAggregatorNode implements NodeType {

    private final NodeDescriptor descriptor;

    public VariableAggregatorNode() {
        this("variable-aggregator", "Variable Aggregator");
    }

    VariableAggregatorNode(String type, String title) {
        this.descriptor = new NodeDescriptor(type, "1", title, "Takes the first of several variables that has a value.",
                "transform", Map.of("type", "object", "properties", Map.of("variables", Map.of("type", "array"),
                        "advanced_settings", Map.of("type", "object"))),
                List.of(), List.of(VariableSpec.of("output", VariableType.ANY)));
    }

    @Override
    public NodeDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        List<Violation> problems = new ArrayList<>();
        if (config.get("variables") != null && !(config.get("variables") instanceof List<?>)) {
            problems.add(new Violation("/variables", "must be a list of selectors"));
        }
        if (grouped(config) && !(settings(config).get("groups") instanceof List<?>)) {
            problems.add(new Violation("/advanced_settings/groups", "must be a list when groups are enabled"));
        }
        return problems;
    }

    @Override
    public NodeResult execute(NodeContext context) {
        Map<String, Object> config = context.config();
        Map<String, Object> outputs = new LinkedHashMap<>();
        if (grouped(config)) {
            for (Object item : (List<?>) settings(config).get("groups")) {
                if (item instanceof Map<?, ?> group && group.get("group_name") instanceof String name) {
                    Map<String, Object> output = new LinkedHashMap<>();
                    output.put("output", first(group.get("variables"), context).orElse(null));
                    outputs.put(name, output);
                }
            }
        } else {
            outputs.put("output", first(config.get("variables"), context).orElse(null));
        }
        return NodeResult.of(outputs);
    }

    private static Optional<Object> first(Object selectors, NodeContext context) {
        if (selectors instanceof List<?> list) {
            for (Object selector : list) {
                Optional<Object> value = VariableSelector.fromJson(selector).flatMap(s -> context.variables().get(s));
                if (value.isPresent()) {
                    return value;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean grouped(Map<String, Object> config) {
        return Boolean.TRUE.equals(settings(config).get("group_enabled"));
    }

    private static Map<?, ?> settings(Map<String, Object> config) {
        return config.get("advanced_settings") instanceof Map<?, ?> settings ? settings : Map.of();
    }

    /** The same node under the id older files give it. */
    @Component(service = NodeType.class)
    public static final class Legacy extends VariableAggregatorNode {
        public Legacy() {
            super("variable-assigner", "Variable Aggregator (legacy id)");
        }
    }
}
