package dev.weft.provider.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.ContentPart;
import dev.weft.spi.model.FinishReason;
import dev.weft.spi.model.ModelParameters;
import dev.weft.spi.model.ResponseFormat;
import dev.weft.spi.model.ToolCall;
import dev.weft.spi.model.ToolSpec;
import dev.weft.spi.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** OpenAI's chat-completions wire format: requests written, responses and stream chunks read. */
final class Wire {

    static final ObjectMapper JSON = new ObjectMapper();

    private Wire() {
    }

    static ObjectNode request(String model, ChatRequest request, boolean stream) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage message : request.messages()) {
            messages.add(message(message));
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec tool : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.name());
                if (!tool.description().isEmpty()) {
                    function.put("description", tool.description());
                }
                function.set("parameters", JSON.valueToTree(tool.parameters()));
            }
            body.put("tool_choice", switch (request.toolChoice()) {
                case AUTO -> "auto";
                case NONE -> "none";
                case REQUIRED -> "required";
            });
        }
        parameters(body, request.parameters());
        switch (request.responseFormat()) {
            case ResponseFormat.Text text -> {
            }
            case ResponseFormat.JsonObject json -> body.putObject("response_format").put("type", "json_object");
            case ResponseFormat.JsonSchema schema -> {
                ObjectNode format = body.putObject("response_format").put("type", "json_schema");
                ObjectNode jsonSchema = format.putObject("json_schema");
                jsonSchema.put("name", schema.name());
                jsonSchema.set("schema", JSON.valueToTree(schema.schema()));
                jsonSchema.put("strict", schema.strict());
            }
        }
        if (request.user() != null && !request.user().isBlank()) {
            body.put("user", request.user());
        }
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    private static void parameters(ObjectNode body, ModelParameters p) {
        if (p.temperature() != null) {
            body.put("temperature", p.temperature());
        }
        if (p.topP() != null) {
            body.put("top_p", p.topP());
        }
        if (p.maxTokens() != null) {
            body.put("max_tokens", p.maxTokens());
        }
        if (!p.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            p.stop().forEach(stop::add);
        }
        if (p.presencePenalty() != null) {
            body.put("presence_penalty", p.presencePenalty());
        }
        if (p.frequencyPenalty() != null) {
            body.put("frequency_penalty", p.frequencyPenalty());
        }
        if (p.seed() != null) {
            body.put("seed", p.seed());
        }
        for (Map.Entry<String, Object> extra : p.extra().entrySet()) {
            if (!body.has(extra.getKey())) {
                body.set(extra.getKey(), JSON.valueToTree(extra.getValue()));
            }
        }
    }

    private static ObjectNode message(ChatMessage message) {
        ObjectNode node = JSON.createObjectNode();
        switch (message) {
            case ChatMessage.System system -> node.put("role", "system").put("content", system.text());
            case ChatMessage.User user -> {
                node.put("role", "user");
                if (user.content().size() == 1 && user.content().get(0) instanceof ContentPart.Text text) {
                    node.put("content", text.text());
                } else {
                    ArrayNode parts = node.putArray("content");
                    for (ContentPart part : user.content()) {
                        switch (part) {
                            case ContentPart.Text text -> parts.addObject().put("type", "text").put("text", text.text());
                            case ContentPart.Image image -> parts.addObject().put("type", "image_url")
                                    .putObject("image_url").put("url", image.url()).put("detail", image.detail());
                        }
                    }
                }
            }
            case ChatMessage.Assistant assistant -> {
                node.put("role", "assistant");
                if (assistant.toolCalls().isEmpty() || !assistant.text().isEmpty()) {
                    node.put("content", assistant.text());
                } else {
                    node.putNull("content");
                }
                if (!assistant.toolCalls().isEmpty()) {
                    ArrayNode calls = node.putArray("tool_calls");
                    for (ToolCall call : assistant.toolCalls()) {
                        ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
                        c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
                    }
                }
            }
            case ChatMessage.ToolResult result -> node.put("role", "tool").put("tool_call_id", result.toolCallId())
                    .put("content", result.content());
        }
        return node;
    }

    /** A whole (not streamed) response. */
    static ChatResponse response(JsonNode body, String requestedModel) {
        JsonNode choice = body.path("choices").path(0);
        JsonNode message = choice.path("message");
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            String id = call.path("id").asText("");
            calls.add(new ToolCall(id.isEmpty() ? newCallId() : id, call.path("function").path("name").asText(""),
                    call.path("function").path("arguments").asText("")));
        }
        String reasoning = message.path("reasoning_content").isTextual() ? message.path("reasoning_content").asText()
                : message.path("reasoning").asText("");
        return new ChatResponse(new ChatMessage.Assistant(message.path("content").asText(""), reasoning, calls),
                finish(choice.path("finish_reason").asText(null)), usage(body.path("usage")),
                body.path("model").asText(requestedModel));
    }

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** A tool-call id for servers that give none: unique, and in the characters every vendor accepts. */
    static String newCallId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder("call_");
        for (int i = 0; i < 16; i++) {
            id.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        return id.toString();
    }

    static Usage usage(JsonNode usage) {
        if (usage == null || usage.isMissingNode() || usage.isNull()) {
            return Usage.NONE;
        }
        return new Usage(Math.max(0, usage.path("prompt_tokens").asLong(0)), Math.max(0, usage.path("completion_tokens").asLong(0)));
    }

    static FinishReason finish(String reason) {
        if (reason == null) {
            return FinishReason.OTHER;
        }
        return switch (reason) {
            case "stop" -> FinishReason.STOP;
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }
}
