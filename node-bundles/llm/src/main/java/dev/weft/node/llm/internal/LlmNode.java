package dev.weft.node.llm.internal;

import dev.weft.api.core.Violation;
import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelResult;
import dev.weft.api.model.ModelRuntime;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ResponseFormat;
import dev.weft.spi.model.ToolChoice;
import dev.weft.spi.model.Usage;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeEvent;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.TemplateRenderer;
import dev.weft.spi.node.VariableSpec;
import dev.weft.spi.node.VariableType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code llm}: sends the node's prompt to its model through the platform's model runtime, streams
 * the answer, and outputs {@code text}, {@code reasoning_content}, {@code usage},
 * {@code finish_reason} and, when structured output is on, {@code structured_output}.
 *
 * <p>Jinja2 prompt messages are rendered by the {@link TemplateRenderer} service. It is optional,
 * so that basic prompts work without the template bundle, and dynamic, so that the bundle can be
 * installed, updated or removed while this node is active: the field is read at each execution,
 * never kept.
 */
@Component(service = NodeType.class)
public final class LlmNode implements NodeType {

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor("llm", "1", "LLM",
            "Calls a language model with a prompt built from the run's variables.", "model",
            Map.of("type", "object", "required", List.of("model", "prompt_template"), "properties", Map.of(
                    "model", Map.of("type", "object"), "prompt_template", Map.of(), "prompt_config", Map.of("type", "object"),
                    "context", Map.of("type", "object"), "memory", Map.of("type", "object"),
                    "vision", Map.of("type", "object"), "structured_output", Map.of("type", "object"),
                    "reasoning_format", Map.of("type", "string", "enum", List.of("tagged", "separated")))),
            List.of(), List.of(VariableSpec.of("text", VariableType.STRING),
                    VariableSpec.of("reasoning_content", VariableType.STRING), VariableSpec.of("usage", VariableType.OBJECT)));

    private final ModelRuntime models;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile TemplateRenderer templates;

    @Activate
    public LlmNode(@Reference ModelRuntime models) {
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
        Object template = config.get("prompt_template");
        if (!(template instanceof List<?>) && !(template instanceof Map<?, ?>)) {
            problems.add(new Violation("/prompt_template", "a list of messages (chat) or a template (completion) is required"));
        }
        if (config.get("prompt_config") instanceof Map<?, ?> promptConfig
                && promptConfig.get("jinja2_variables") instanceof List<?> declared) {
            for (int i = 0; i < declared.size(); i++) {
                if (!(declared.get(i) instanceof Map<?, ?> variable) || !(variable.get("variable") instanceof String name)
                        || name.isBlank()) {
                    problems.add(new Violation("/prompt_config/jinja2_variables/" + i, "needs a variable name"));
                }
            }
        }
        if (config.get("reasoning_format") != null && !List.of("tagged", "separated").contains(config.get("reasoning_format"))) {
            problems.add(new Violation("/reasoning_format", "must be tagged or separated"));
        }
        return problems;
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException {
        Map<String, Object> config = context.config();
        ModelSettings settings = ModelSettings.of(config);
        List<ChatMessage> messages = Prompts.build(config, context.variables(), settings.mode(), context.history(500),
                () -> templates);
        Map<String, Object> schema = structuredSchema(config);
        ResponseFormat format = schema != null ? new ResponseFormat.JsonSchema("structured_output", schema, false)
                : settings.format();
        ChatRequest request = new ChatRequest(messages, List.of(), ToolChoice.AUTO, settings.parameters(), format,
                context.variables().get(dev.weft.spi.node.VariableSelector.parse("sys.user_id")).map(String::valueOf).orElse(null));
        boolean separated = "separated".equals(config.get("reasoning_format"));
        ThinkSplitter splitter = new ThinkSplitter();
        StringBuilder providerReasoning = new StringBuilder();
        long started = System.nanoTime();
        ModelResult result;
        try {
            result = models.stream(new ModelCall(context.workspaceId(), settings.provider(), settings.name(),
                    context.runId(), context.nodeId()), request, event -> {
                        switch (event) {
                            case ChatEvent.TextDelta delta -> {
                                String shown = separated ? splitter.feed(delta.text()) : delta.text();
                                if (!separated) {
                                    splitter.feed(delta.text());
                                }
                                if (!shown.isEmpty()) {
                                    context.emit(new NodeEvent.TextChunk("text", shown));
                                }
                            }
                            case ChatEvent.ReasoningDelta thought -> providerReasoning.append(thought.text());
                            default -> {
                            }
                        }
                    });
        } catch (ModelException e) {
            throw new NodeException(e.code(), e.getMessage());
        }
        splitter.finish();
        String raw = result.response().message().text();
        String reasoning = (providerReasoning.isEmpty() ? result.response().message().reasoning()
                : providerReasoning.toString()).strip();
        String text;
        String reasoningContent;
        if (separated) {
            text = splitter.answer();
            reasoningContent = (reasoning + (reasoning.isEmpty() || splitter.reasoning().isEmpty() ? "" : "\n")
                    + splitter.reasoning()).strip();
        } else {
            text = reasoning.isEmpty() ? raw : "<think>\n" + reasoning + "\n</think>\n" + raw;
            reasoningContent = "";
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - started);
        Map<String, Object> usage = usage(result.response().usage(), latency);
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("text", text);
        outputs.put("reasoning_content", reasoningContent);
        outputs.put("usage", usage);
        outputs.put("finish_reason", result.response().finishReason().name().toLowerCase(Locale.ROOT));
        if (schema != null) {
            Object structured = Json.extractObject(separated ? text : raw);
            if (!(structured instanceof Map<?, ?>)) {
                throw new NodeException("structured_output_error", "the model's answer is not a JSON object as the"
                        + " structured output schema asks");
            }
            outputs.put("structured_output", structured);
        }
        Map<String, Object> trace = new LinkedHashMap<>();
        trace.put("model_mode", settings.mode());
        trace.put("model_provider", result.provider());
        trace.put("model_name", result.model());
        trace.put("prompts", Prompts.trace(messages));
        trace.put("usage", usage);
        trace.put("finish_reason", outputs.get("finish_reason"));
        if (!result.warnings().isEmpty()) {
            trace.put("warnings", result.warnings());
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("total_tokens", result.response().usage().totalTokens());
        metadata.put("total_price", "0");
        metadata.put("currency", "USD");
        List<Map<String, Object>> cited = Prompts.retrieverResources(config, context.variables());
        if (!cited.isEmpty()) {
            // the app shows them as the answer's citations (Dify's retriever_resources)
            metadata.put("retriever_resources", cited);
        }
        return NodeResult.of(outputs).withProcessData(trace).withMetadata(metadata);
    }

    /** The structured-output schema, when the node turns structured output on. */
    static Map<String, Object> structuredSchema(Map<String, Object> config) {
        boolean on = Boolean.TRUE.equals(config.get("structured_output_enabled"))
                || Boolean.TRUE.equals(config.get("structured_output_switch_on"));
        if (!on || !(config.get("structured_output") instanceof Map<?, ?> output)) {
            return null;
        }
        Object schema = output.get("schema");
        if (schema instanceof String text) {
            schema = Json.parse(text);
        }
        if (!(schema instanceof Map<?, ?> map)) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) map;
        return typed;
    }

    /** Dify's usage shape; prices stay zero until a price table is set. */
    static Map<String, Object> usage(Usage usage, Duration latency) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("prompt_tokens", usage.promptTokens());
        out.put("prompt_unit_price", "0");
        out.put("prompt_price_unit", "0");
        out.put("prompt_price", "0");
        out.put("completion_tokens", usage.completionTokens());
        out.put("completion_unit_price", "0");
        out.put("completion_price_unit", "0");
        out.put("completion_price", "0");
        out.put("total_tokens", usage.totalTokens());
        out.put("total_price", "0");
        out.put("currency", "USD");
        out.put("latency", latency.toMillis() / 1000.0);
        return out;
    }
}
