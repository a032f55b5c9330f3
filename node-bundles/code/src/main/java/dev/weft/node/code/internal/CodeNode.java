package dev.weft.node.code.internal;

import dev.weft.api.core.Violation;
import dev.weft.api.sandbox.CodeRequest;
import dev.weft.api.sandbox.CodeResult;
import dev.weft.api.sandbox.CodeSandbox;
import dev.weft.api.sandbox.SandboxException;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.VariableSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code code}: runs a {@code main} function written in Python 3 or JavaScript in the platform's
 * sandbox, with the node's {@code variables} as its arguments, and checks what it returns against
 * the node's declared {@code outputs} exactly as Dify does.
 */
@Component(service = NodeType.class)
public final class CodeNode implements NodeType {

    static final Set<String> LANGUAGES = Set.of("python3", "javascript");

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor("code", "1", "Code",
            "Runs a Python 3 or JavaScript main() function in a sandbox.", "transform",
            Map.of("type", "object", "required", List.of("code"), "properties", Map.of(
                    "code_language", Map.of("type", "string", "enum", List.copyOf(LANGUAGES)),
                    "code", Map.of("type", "string"),
                    "variables", Map.of("type", "array"),
                    "outputs", Map.of("type", "object"))),
            List.of(), List.of());

    private final CodeSandbox sandbox;

    @Activate
    public CodeNode(@Reference CodeSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        List<Violation> problems = new ArrayList<>();
        Object language = config.getOrDefault("code_language", "python3");
        if (!(language instanceof String l) || !LANGUAGES.contains(l)) {
            problems.add(new Violation("/code_language", "must be python3 or javascript"));
        }
        if (!(config.get("code") instanceof String)) {
            problems.add(new Violation("/code", "must be text"));
        }
        if (config.get("variables") instanceof List<?> variables) {
            for (int i = 0; i < variables.size(); i++) {
                if (!(variables.get(i) instanceof Map<?, ?> v) || !(v.get("variable") instanceof String name)
                        || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    problems.add(new Violation("/variables/" + i, "needs a variable name that is an identifier"));
                }
            }
        } else if (config.get("variables") != null) {
            problems.add(new Violation("/variables", "must be a list"));
        }
        if (config.get("outputs") instanceof Map<?, ?> outputs) {
            OutputSchema.validate(outputs, "/outputs", problems);
        } else if (config.get("outputs") != null) {
            problems.add(new Violation("/outputs", "must be an object of name: {type}"));
        }
        return problems;
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException {
        Map<String, Object> config = context.config();
        String language = config.get("code_language") instanceof String l ? l : "python3";
        String code = config.get("code") instanceof String c ? c : "";
        Map<String, Object> inputs = new LinkedHashMap<>();
        if (config.get("variables") instanceof List<?> variables) {
            for (Object item : variables) {
                if (item instanceof Map<?, ?> variable && variable.get("variable") instanceof String name) {
                    inputs.put(name, VariableSelector.fromJson(variable.get("value_selector"))
                            .flatMap(selector -> context.variables().get(selector)).orElse(null));
                }
            }
        }
        CodeResult result;
        try {
            result = sandbox.run(new CodeRequest(language, code, inputs, null));
        } catch (SandboxException e) {
            throw new NodeException(e.code(), e.getMessage());
        }
        Map<?, ?> schema = config.get("outputs") instanceof Map<?, ?> outputs ? outputs : null;
        Map<String, Object> outputs = OutputSchema.check(result.result(), schema);
        return NodeResult.of(outputs).withInputs(inputs);
    }
}
