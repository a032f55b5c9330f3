package dev.weft.node.llm.internal;

import dev.weft.api.core.Violation;
import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelResult;
import dev.weft.api.model.ModelRuntime;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ToolChoice;
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
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code question-classifier}: asks the model which of the node's classes the query belongs to and
 * takes the edge of that class ({@code sourceHandle} is the class id). When the answer names no
 * class, the first class is taken, as in Dify.
 */
@Component(service = NodeType.class)
public final class QuestionClassifierNode implements NodeType {

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor("question-classifier", "1",
            "Question Classifier", "Sorts the query into one of several classes; each class is a branch.", "model",
            Map.of("type", "object", "required", List.of("classes"), "properties", Map.of(
                    "query_variable_selector", Map.of("type", "array"), "model", Map.of("type", "object"),
                    "classes", Map.of("type", "array"), "instruction", Map.of("type", "string"))),
            List.of(), List.of(VariableSpec.of("class_name", VariableType.STRING), VariableSpec.of("class_id", VariableType.STRING),
                    VariableSpec.of("usage", VariableType.OBJECT)));

    private final ModelRuntime models;

    @Activate
    public QuestionClassifierNode(@Reference ModelRuntime models) {
        this.models = models;
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        List<Violation> problems = new ArrayList<>();
        ModelSettings.validate(config, problems);
        if (!(config.get("classes") instanceof List<?> classes) || classes.isEmpty()) {
            problems.add(new Violation("/classes", "at least one class is required"));
        } else {
            for (int i = 0; i < classes.size(); i++) {
                if (!(classes.get(i) instanceof Map<?, ?> c) || c.get("id") == null) {
                    problems.add(new Violation("/classes/" + i, "a class needs an id"));
                }
            }
        }
        return problems;
    }

    /** A class as the node declares it. */
    private record Category(String id, String name, String label) {
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException {
        Map<String, Object> config = context.config();
        List<Category> categories = new ArrayList<>();
        if (config.get("classes") instanceof List<?> classes) {
            for (Object item : classes) {
                if (item instanceof Map<?, ?> c && c.get("id") != null) {
                    String name = c.get("name") instanceof String n ? n : "";
                    categories.add(new Category(String.valueOf(c.get("id")), name,
                            c.get("label") instanceof String l && !l.isBlank() ? l : name));
                }
            }
        }
        if (categories.isEmpty()) {
            throw new NodeException("invalid_config", "the classifier has no classes");
        }
        String query = VariableSelector.fromJson(config.get("query_variable_selector")).flatMap(context.variables()::get)
                .map(v -> v instanceof String s ? s : Json.write(v)).orElse("");
        String instruction = config.get("instruction") instanceof String i ? context.variables().render(i) : "";
        List<Map<String, String>> listing = new ArrayList<>();
        for (Category category : categories) {
            listing.add(Map.of("category_id", category.id(), "category_name", category.name()));
        }
        String system = "You are a text classification engine. Read the user's input and decide which one of the"
                + " categories below it belongs to. Answer with one JSON object and nothing else:"
                + " {\"keywords\": [<up to 3 keywords of the input>], \"category_id\": \"<id>\", \"category_name\": \"<name>\"}."
                + "\nCategories: " + Json.write(listing)
                + (instruction.isBlank() ? "" : "\nClassification instructions: " + instruction);
        List<ChatMessage> messages = List.of(new ChatMessage.System(system), ChatMessage.User.of(query));
        ModelSettings settings = ModelSettings.of(config);
        long started = System.nanoTime();
        ModelResult result;
        try {
            result = models.chat(new ModelCall(context.workspaceId(), settings.provider(), settings.name(), context.runId(),
                    context.nodeId()), new ChatRequest(messages, List.of(), ToolChoice.AUTO, settings.parameters(), null, null));
        } catch (ModelException e) {
            throw new NodeException(e.code(), e.getMessage());
        }
        Category chosen = categories.get(0);
        Object answer = Json.extractObject(result.response().message().text());
        if (answer instanceof Map<?, ?> json) {
            Object id = json.get("category_id");
            Object name = json.get("category_name");
            for (Category category : categories) {
                if (category.id().equals(String.valueOf(id)) || (id == null && category.name().equals(name))) {
                    chosen = category;
                    break;
                }
            }
        }
        Map<String, Object> usage = LlmNode.usage(result.response().usage(), Duration.ofNanos(System.nanoTime() - started));
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("class_name", chosen.name());
        outputs.put("class_label", chosen.label());
        outputs.put("class_id", chosen.id());
        outputs.put("usage", usage);
        Map<String, Object> trace = new LinkedHashMap<>();
        trace.put("model_mode", settings.mode());
        trace.put("model_provider", result.provider());
        trace.put("model_name", result.model());
        trace.put("prompts", Prompts.trace(messages));
        trace.put("usage", usage);
        if (!result.warnings().isEmpty()) {
            trace.put("warnings", result.warnings());
        }
        return NodeResult.of(outputs).withInputs(Map.of("query", query)).withProcessData(trace)
                .withMetadata(Map.of("total_tokens", result.response().usage().totalTokens(), "total_price", "0",
                        "currency", "USD"))
                .withEdgeSourceHandle(chosen.id());
    }
}
