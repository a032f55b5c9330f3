package dev.weft.node.logic.internal;

import dev.weft.api.core.Violation;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.VariableSpec;
import dev.weft.spi.node.VariableType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code if-else}: follows the edges of the first case whose conditions hold ({@code case_id}),
 * or the {@code false} edges when none does. Files written before cases existed have top-level
 * {@code conditions}, which make one case with the id {@code true}.
 */
@Component(service = NodeType.class)
public final class IfElseNode implements NodeType {

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor("if-else", "1", "IF/ELSE",
            "Takes one branch or another by conditions on variables.", "logic",
            Map.of("type", "object", "properties", Map.of("cases", Map.of("type", "array"),
                    "conditions", Map.of("type", "array"), "logical_operator", Map.of("enum", List.of("and", "or")))),
            List.of(), List.of(VariableSpec.of("result", VariableType.BOOLEAN),
                    VariableSpec.of("selected_case_id", VariableType.STRING)));

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        List<Violation> problems = new ArrayList<>();
        List<Map<?, ?>> cases = cases(config);
        if (cases.isEmpty() && !(config.get("cases") instanceof List<?>) && config.get("conditions") == null) {
            problems.add(new Violation("/cases", "an if-else needs cases"));
        }
        for (int i = 0; i < cases.size(); i++) {
            Map<?, ?> kase = cases.get(i);
            String at = config.containsKey("cases") ? "/cases/" + i : "";
            if (config.containsKey("cases") && !(kase.get("case_id") instanceof String)) {
                problems.add(new Violation(at + "/case_id", "each case needs an id"));
            }
            if (kase.get("conditions") != null) {
                problems.addAll(Conditions.check(kase.get("conditions"), at + "/conditions"));
            }
        }
        return problems;
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException {
        for (Map<?, ?> kase : cases(context.config())) {
            List<?> conditions = kase.get("conditions") instanceof List<?> list ? list : List.of();
            if (Conditions.hold(kase.get("logical_operator"), conditions, context.variables())) {
                String id = String.valueOf(kase.get("case_id"));
                Map<String, Object> outputs = new LinkedHashMap<>();
                outputs.put("result", true);
                outputs.put("selected_case_id", id);
                return NodeResult.of(outputs).withEdgeSourceHandle(id);
            }
        }
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("result", false);
        outputs.put("selected_case_id", null);
        return NodeResult.of(outputs).withEdgeSourceHandle("false");
    }

    /** The cases, or the one case of the legacy form. */
    private static List<Map<?, ?>> cases(Map<String, Object> config) {
        List<Map<?, ?>> cases = new ArrayList<>();
        if (config.get("cases") instanceof List<?> list) {
            list.forEach(item -> {
                if (item instanceof Map<?, ?> kase) {
                    cases.add(kase);
                }
            });
        } else if (config.get("conditions") instanceof List<?> conditions) {
            Map<String, Object> legacy = new LinkedHashMap<>();
            legacy.put("case_id", "true");
            legacy.put("logical_operator", config.getOrDefault("logical_operator", "and"));
            legacy.put("conditions", conditions);
            cases.add(legacy);
        }
        return cases;
    }
}
