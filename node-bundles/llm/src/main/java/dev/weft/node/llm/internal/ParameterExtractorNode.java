package dev.weft.node.llm.internal;

import dev.weft.api.core.Violation;
import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelResult;
import dev.weft.api.model.ModelRuntime;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ToolCall;
import dev.weft.spi.model.ToolChoice;
import dev.weft.spi.model.ToolSpec;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableSpec;
import dev.weft.spi.node.VariableType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code parameter-extractor}: has the model pull the node's parameters out of the query, by a tool
 * call ({@code function_call}, the default) or by a JSON answer ({@code prompt}), and outputs each
 * parameter with {@code __is_success}, {@code __reason} and {@code __usage}. Values are checked and
 * converted to their declared types; a required parameter the model did not give fails the
 * extraction ({@code __is_success} 0) and every parameter gets its type's empty value, as in Dify.
 */
@Component(service = NodeType.class)
public final class ParameterExtractorNode implements NodeType {

    static final String TOOL = "extract_parameters";
    private static final Set<String> TYPES = Set.of("string", "number", "boolean", "bool", "select", "array[string]",
            "array[number]", "array[object]", "array[boolean]");

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor("parameter-extractor", "1", "Parameter Extractor",
            "Extracts structured parameters from text with a model.", "model",
            Map.of("type", "object", "required", List.of("parameters"), "properties", Map.of(
                    "query", Map.of("type", "array"), "model", Map.of("type", "object"), "parameters", Map.of("type", "array"),
                    "instruction", Map.of("type", "string"),
                    "reasoning_mode", Map.of("type", "string", "enum", List.of("function_call", "prompt")))),
            List.of(), List.of(VariableSpec.of("__is_success", VariableType.NUMBER), VariableSpec.of("__reason", VariableType.STRING),
                    VariableSpec.of("__usage", VariableType.OBJECT)));

    private final ModelRuntime models;

    @Activate
    public ParameterExtractorNode(@Reference ModelRuntime models) {
        this.models = models;
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** A parameter as declared. */
    record Parameter(String name, String type, String description, boolean required, List<Object> options) {
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        List<Violation> problems = new ArrayList<>();
        ModelSettings.validate(config, problems);
        if (!(config.get("parameters") instanceof List<?> parameters)) {
            problems.add(new Violation("/parameters", "a list of parameters is required"));
            return problems;
        }
        for (int i = 0; i < parameters.size(); i++) {
            if (!(parameters.get(i) instanceof Map<?, ?> p) || !(p.get("name") instanceof String name) || name.isBlank()) {
                problems.add(new Violation("/parameters/" + i, "a parameter needs a name"));
                continue;
            }
            if (name.equals("__reason") || name.equals("__is_success")) {
                problems.add(new Violation("/parameters/" + i + "/name", name + " is reserved"));
            }
            if (p.get("type") != null && !TYPES.contains(p.get("type"))) {
                problems.add(new Violation("/parameters/" + i + "/type", "unknown type " + p.get("type")));
            }
        }
        if (config.get("reasoning_mode") != null && !List.of("function_call", "prompt").contains(config.get("reasoning_mode"))) {
            problems.add(new Violation("/reasoning_mode", "must be function_call or prompt"));
        }
        return problems;
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException {
        Map<String, Object> config = context.config();
        List<Parameter> parameters = parameters(config);
        Map<String, Object> schema = schema(parameters);
        String query = VariableSelector.fromJson(config.get("query")).flatMap(context.variables()::get)
                .map(v -> v instanceof String s ? s : Json.write(v)).orElse("");
        String instruction = config.get("instruction") instanceof String i ? context.variables().render(i) : "";
        boolean prompt = "prompt".equals(config.get("reasoning_mode"));
        ModelSettings settings = ModelSettings.of(config);
        List<ChatMessage> messages = new ArrayList<>();
        String system = "You extract parameters from the user's text. Give every parameter you can find, with the"
                + " type the schema says; leave out those the text does not give."
                + (instruction.isBlank() ? "" : "\nInstructions: " + instruction);
        if (prompt) {
            system += "\nAnswer with one JSON object that follows this JSON schema, and nothing else:\n" + Json.write(schema);
        }
        messages.add(new ChatMessage.System(system));
        messages.add(ChatMessage.User.of(query));
        ChatRequest request = prompt
                ? new ChatRequest(messages, List.of(), ToolChoice.AUTO, settings.parameters(), null, null)
                : new ChatRequest(messages, List.of(new ToolSpec(TOOL, "Extract the parameters from the text", schema)),
                        ToolChoice.REQUIRED, settings.parameters(), null, null);
        long started = System.nanoTime();
        ModelResult result;
        try {
            result = models.chat(new ModelCall(context.workspaceId(), settings.provider(), settings.name(), context.runId(),
                    context.nodeId()), request);
        } catch (ModelException e) {
            throw new NodeException(e.code(), e.getMessage());
        }
        Object extracted = null;
        for (ToolCall call : result.response().message().toolCalls()) {
            if (call.name().equals(TOOL)) {
                extracted = Json.parse(call.arguments());
                break;
            }
        }
        if (extracted == null) {
            extracted = Json.extractObject(result.response().message().text());
        }
        Map<String, Object> outputs = new LinkedHashMap<>();
        String reason = null;
        if (!(extracted instanceof Map<?, ?> values)) {
            reason = "the model's answer holds no parameters";
            parameters.forEach(p -> outputs.put(p.name(), empty(p.type())));
        } else {
            try {
                for (Parameter parameter : parameters) {
                    outputs.put(parameter.name(), convert(parameter, values.get(parameter.name())));
                }
            } catch (IllegalArgumentException e) {
                reason = e.getMessage();
                outputs.clear();
                parameters.forEach(p -> outputs.put(p.name(), empty(p.type())));
            }
        }
        Map<String, Object> usage = LlmNode.usage(result.response().usage(), Duration.ofNanos(System.nanoTime() - started));
        outputs.put("__is_success", reason == null ? 1 : 0);
        outputs.put("__reason", reason);
        outputs.put("__usage", usage);
        Map<String, Object> trace = new LinkedHashMap<>();
        trace.put("model_mode", settings.mode());
        trace.put("model_provider", result.provider());
        trace.put("model_name", result.model());
        trace.put("reasoning_mode", prompt ? "prompt" : "function_call");
        trace.put("prompts", Prompts.trace(messages));
        trace.put("usage", usage);
        if (!result.warnings().isEmpty()) {
            trace.put("warnings", result.warnings());
        }
        return NodeResult.of(outputs).withInputs(Map.of("query", query)).withProcessData(trace)
                .withMetadata(Map.of("total_tokens", result.response().usage().totalTokens(), "total_price", "0",
                        "currency", "USD"));
    }

    static List<Parameter> parameters(Map<String, Object> config) {
        List<Parameter> parameters = new ArrayList<>();
        if (config.get("parameters") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> p && p.get("name") instanceof String name && !name.isBlank()) {
                    String type = p.get("type") instanceof String t ? t : "string";
                    List<Object> options = p.get("options") instanceof List<?> o ? new ArrayList<>(o) : List.of();
                    parameters.add(new Parameter(name, type, p.get("description") instanceof String d ? d : "",
                            Boolean.TRUE.equals(p.get("required")), options));
                }
            }
        }
        return parameters;
    }

    /** The JSON schema of the parameters, for the tool call or the prompt. */
    static Map<String, Object> schema(List<Parameter> parameters) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Parameter p : parameters) {
            Map<String, Object> property = new LinkedHashMap<>();
            switch (p.type()) {
                case "number" -> property.put("type", "number");
                case "boolean", "bool" -> property.put("type", "boolean");
                case "array[string]" -> property.putAll(Map.of("type", "array", "items", Map.of("type", "string")));
                case "array[number]" -> property.putAll(Map.of("type", "array", "items", Map.of("type", "number")));
                case "array[boolean]" -> property.putAll(Map.of("type", "array", "items", Map.of("type", "boolean")));
                case "array[object]" -> property.putAll(Map.of("type", "array", "items", Map.of("type", "object")));
                default -> property.put("type", "string");
            }
            if (!p.options().isEmpty()) {
                property.put("enum", p.options());
            }
            if (!p.description().isEmpty()) {
                property.put("description", p.description());
            }
            properties.put(p.name(), property);
            if (p.required()) {
                required.add(p.name());
            }
        }
        return Map.of("type", "object", "properties", properties, "required", required);
    }

    /** A value given for a parameter, in its declared type. */
    static Object convert(Parameter parameter, Object value) {
        if (value == null) {
            if (parameter.required()) {
                throw new IllegalArgumentException("Parameter " + parameter.name() + " is required");
            }
            return empty(parameter.type());
        }
        return switch (parameter.type()) {
            case "number" -> {
                if (value instanceof Number n) {
                    yield n;
                }
                try {
                    String text = String.valueOf(value).strip();
                    yield text.contains(".") ? (Object) Double.parseDouble(text) : (Object) Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Invalid `number` value for parameter " + parameter.name());
                }
            }
            case "boolean", "bool" -> {
                if (value instanceof Boolean b) {
                    yield b;
                }
                String text = String.valueOf(value).strip().toLowerCase(java.util.Locale.ROOT);
                if (text.equals("true") || text.equals("1") || text.equals("yes")) {
                    yield true;
                }
                if (text.equals("false") || text.equals("0") || text.equals("no")) {
                    yield false;
                }
                throw new IllegalArgumentException("Invalid `boolean` value for parameter " + parameter.name());
            }
            case "select" -> {
                if (!parameter.options().isEmpty() && !parameter.options().contains(value)) {
                    throw new IllegalArgumentException("Invalid `select` value for parameter " + parameter.name());
                }
                yield String.valueOf(value);
            }
            case "array[string]", "array[number]", "array[object]", "array[boolean]" -> {
                if (!(value instanceof List<?> list)) {
                    throw new IllegalArgumentException("Invalid `array` value for parameter " + parameter.name());
                }
                yield list;
            }
            default -> value instanceof String s ? s : Json.write(value);
        };
    }

    static Object empty(String type) {
        return switch (type) {
            case "number" -> 0;
            case "boolean", "bool" -> false;
            case "array[string]", "array[number]", "array[object]", "array[boolean]" -> List.of();
            default -> "";
        };
    }
}
