package dev.weft.node.template.internal;

import dev.weft.api.core.Violation;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.TemplateRenderer;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableSpec;
import dev.weft.spi.node.VariableType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code template-transform}: renders a Jinja2 {@code template} with the node's {@code variables}
 * ({@code {variable, value_selector}}) as its names, into {@code output}.
 *
 * <p>Rendering, with its fences and limits, is the {@link TemplateRenderer} service's, which this
 * bundle provides ({@link JinjavaTemplateRenderer}) and other nodes share. The reference is
 * mandatory and static: without a renderer the node type is not offered at all.
 */
@Component(service = NodeType.class)
public final class TemplateTransformNode implements NodeType {

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor("template-transform", "1", "Template",
            "Renders a Jinja2 template with variables.", "transform",
            Map.of("type", "object", "required", List.of("template"), "properties", Map.of(
                    "template", Map.of("type", "string"), "variables", Map.of("type", "array"))),
            List.of(), List.of(VariableSpec.of("output", VariableType.STRING)));

    private final TemplateRenderer renderer;

    @Activate
    public TemplateTransformNode(@Reference TemplateRenderer renderer) {
        this.renderer = renderer;
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        List<Violation> problems = new ArrayList<>();
        if (!(config.get("template") instanceof String)) {
            problems.add(new Violation("/template", "must be text"));
        }
        if (config.get("variables") != null && !(config.get("variables") instanceof List<?>)) {
            problems.add(new Violation("/variables", "must be a list"));
        } else if (config.get("variables") instanceof List<?> variables) {
            for (int i = 0; i < variables.size(); i++) {
                if (!(variables.get(i) instanceof Map<?, ?> variable) || !(variable.get("variable") instanceof String name)
                        || name.isBlank()) {
                    problems.add(new Violation("/variables/" + i, "needs a variable name"));
                }
            }
        }
        return problems;
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException {
        String template = context.config().get("template") instanceof String text ? text : "";
        Map<String, Object> bindings = new LinkedHashMap<>();
        if (context.config().get("variables") instanceof List<?> variables) {
            for (Object item : variables) {
                if (item instanceof Map<?, ?> variable && variable.get("variable") instanceof String name) {
                    bindings.put(name, VariableSelector.fromJson(variable.get("value_selector"))
                            .flatMap(selector -> context.variables().get(selector)).orElse(null));
                }
            }
        }
        String output = renderer.render(template, bindings);
        return NodeResult.of(Map.of("output", output)).withInputs(bindings);
    }
}
