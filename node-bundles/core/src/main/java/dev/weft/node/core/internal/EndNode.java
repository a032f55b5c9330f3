package dev.weft.node.core.internal;

import dev.weft.api.core.Violation;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.VariableSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;

/**
 * {@code end} (Dify's "Output"): gathers {@code outputs[]} ({@code {variable, value_selector}})
 * into the run's result. Several end nodes merge; a missing value is null.
 */
@Component(service = NodeType.class)
public final class EndNode implements NodeType {

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor("end", "1", "Output",
            "The result of a workflow run.", "entry",
            Map.of("type", "object", "properties", Map.of("outputs", Map.of("type", "array"))), List.of(), List.of());

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        List<Violation> problems = new ArrayList<>();
        if (config.get("outputs") != null && !(config.get("outputs") instanceof List<?>)) {
            return List.of(new Violation("/outputs", "must be a list"));
        }
        List<?> outputs = config.get("outputs") instanceof List<?> list ? list : List.of();
        for (int i = 0; i < outputs.size(); i++) {
            if (!(outputs.get(i) instanceof Map<?, ?> output) || !(output.get("variable") instanceof String name)
                    || name.isBlank()) {
                problems.add(new Violation("/outputs/" + i, "needs a variable name"));
            }
        }
        return problems;
    }

    @Override
    public NodeResult execute(NodeContext context) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        if (context.config().get("outputs") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> output && output.get("variable") instanceof String name) {
                    Optional<VariableSelector> selector = VariableSelector.fromJson(output.get("value_selector"));
                    outputs.put(name, selector.flatMap(s -> context.variables().get(s)).orElse(null));
                }
            }
        }
        return NodeResult.of(outputs).withInputs(outputs);
    }
}
