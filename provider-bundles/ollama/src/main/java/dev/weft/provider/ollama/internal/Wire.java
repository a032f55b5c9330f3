package dev.weft.provider.ollama.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.ContentPart;
import dev.weft.spi.model.FinishReason;
import dev.weft.spi.model.ModelParameters;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ResponseFormat;
import dev.weft.spi.model.RetriableModelException;
import dev.weft.spi.model.ToolCall;
import dev.weft.spi.model.ToolChoice;
import dev.weft.spi.model.ToolSpec;
import dev.weft.spi.model.Usage;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Ollama's {@code /api/chat} wire format: requests written, answers and stream lines read.
 *
 * <p>What the SPI has and Ollama lacks: {@link ToolChoice} (Ollama always lets the model choose, so
 * {@code NONE} leaves the tools out and {@code AUTO}/{@code REQUIRED} send them), the end-user id
 * (dropped), an image's detail level (dropped), a JSON schema's name and strictness (only the schema
 * is sent, as {@code format}).
 */
final class Wire {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Reads JSON text that must be one value and nothing after it. */
    private static final ObjectReader STRICT = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final RandomGenerator RANDOM = new SecureRandom();

    /** Vendor parameters ({@link ModelParameters#extra()}) that belong beside {@code options}, not in it. */
    private static final Set<String> TOP_LEVEL = Set.of("think", "keep_alive");

    private Wire() {
    }

    /** The body of a chat request; {@code stream} is always written, as Ollama streams by default. */
    static ObjectNode request(String model, ChatRequest request, boolean stream)
            throws NonRetriableModelException.InvalidRequest {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage message : request.messages()) {
            messages.add(message(message));
        }
        body.put("stream", stream);
        if (!request.tools().isEmpty() && request.toolChoice() != ToolChoice.NONE) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec tool : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.name());
                if (!tool.description().isEmpty()) {
                    function.put("description", tool.description());
                }
                function.set("parameters", JSON.valueToTree(tool.parameters()));
            }
        }
        switch (request.responseFormat()) {
            case ResponseFormat.Text text -> {
            }
            case ResponseFormat.JsonObject json -> body.put("format", "json");
            case ResponseFormat.JsonSchema schema -> body.set("format", JSON.valueToTree(schema.schema()));
        }
        parameters(body, request.parameters());
        return body;
    }

    /** The SPI's parameters go into {@code options}; so do vendor extras, but for {@link #TOP_LEVEL} ones. */
    private static void parameters(ObjectNode body, ModelParameters p) {
        ObjectNode options = JSON.createObjectNode();
        if (p.temperature() != null) {
            options.put("temperature", p.temperature());
        }
        if (p.topP() != null) {
            options.put("top_p", p.topP());
        }
        if (p.maxTokens() != null) {
            options.put("num_predict", p.maxTokens());
        }
        if (!p.stop().isEmpty()) {
            ArrayNode stop = options.putArray("stop");
            p.stop().forEach(stop::add);
        }
        if (p.seed() != null) {
            options.put("seed", p.seed());
        }
        if (p.presencePenalty() != null) {
            options.put("presence_penalty", p.presencePenalty());
        }
        if (p.frequencyPenalty() != null) {
            options.put("frequency_penalty", p.frequencyPenalty());
        }
        for (Map.Entry<String, Object> extra : p.extra().entrySet()) {
            ObjectNode target = TOP_LEVEL.contains(extra.getKey()) ? body : options;
            if (!target.has(extra.getKey())) {
                target.set(extra.getKey(), JSON.valueToTree(extra.getValue()));
            }
        }
        if (!options.isEmpty()) {
            body.set("options", options);
        }
    }

    private static ObjectNode message(ChatMessage message) throws NonRetriableModelException.InvalidRequest {
        ObjectNode node = JSON.createObjectNode();
        switch (message) {
            case ChatMessage.System system -> node.put("role", "system").put("content", system.text());
            case ChatMessage.User user -> user(node, user);
            case ChatMessage.Assistant assistant -> {
                // earlier reasoning is not sent back: Ollama's templates decide what a model sees of it
                node.put("role", "assistant").put("content", assistant.text());
                if (!assistant.toolCalls().isEmpty()) {
                    ArrayNode calls = node.putArray("tool_calls");
                    for (ToolCall call : assistant.toolCalls()) {
                        calls.addObject().putObject("function").put("name", call.name())
                                .set("arguments", arguments(call));
                    }
                }
            }
            case ChatMessage.ToolResult result -> {
                node.put("role", "tool").put("content", result.content());
                if (result.name() != null && !result.name().isBlank()) {
                    node.put("tool_name", result.name());
                }
            }
        }
        return node;
    }

    /** Ollama's content is one string: text parts are joined by a line break, images go apart. */
    private static void user(ObjectNode node, ChatMessage.User user) throws NonRetriableModelException.InvalidRequest {
        StringBuilder text = new StringBuilder();
        List<String> images = new ArrayList<>();
        for (ContentPart part : user.content()) {
            switch (part) {
                case ContentPart.Text t -> text.append(text.isEmpty() ? "" : "\n").append(t.text());
                case ContentPart.Image image -> images.add(Images.base64(image.url()));
            }
        }
        node.put("role", "user").put("content", text.toString());
        if (!images.isEmpty()) {
            ArrayNode array = node.putArray("images");
            images.forEach(array::add);
        }
    }

    /**
     * A call's arguments as the JSON object Ollama wants (the SPI holds them as text). Empty text is
     * an empty object; text that is not a JSON object cannot be expressed and is refused.
     */
    private static JsonNode arguments(ToolCall call) throws NonRetriableModelException.InvalidRequest {
        if (call.arguments().isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode arguments = STRICT.readTree(call.arguments());
            if (arguments != null && arguments.isObject()) {
                return arguments;
            }
        } catch (IOException e) {
            // refused below
        }
        throw new NonRetriableModelException.InvalidRequest("the arguments of the earlier call of tool '" + call.name()
                + "' are not a JSON object, which is all Ollama accepts");
    }

    /**
     * A whole (not streamed) answer. Ollama marks a complete answer {@code "done":true}; a body
     * without it (a proxy's partial answer, a server that stopped early) is not taken for one.
     *
     * @param source the server, for messages
     */
    static ChatResponse response(JsonNode body, String requestedModel, String source) throws RetriableModelException.Unavailable {
        if (!body.path("done").asBoolean(false)) {
            throw new RetriableModelException.Unavailable("Ollama at " + source + " gave an incomplete answer (no \"done\":true)", null);
        }
        JsonNode message = body.path("message");
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            calls.add(toolCall(call));
        }
        return new ChatResponse(new ChatMessage.Assistant(message.path("content").asText(""),
                message.path("thinking").asText(""), calls),
                finish(body.path("done_reason").asText(""), !calls.isEmpty()), usage(body), body.path("model").asText(requestedModel));
    }

    /**
     * One tool call of an answer. Ollama gives no id (newer servers may; it is kept then), so the
     * call gets a new one, {@code call_} and 16 random base62 characters: unique across turns, as a
     * conversation may later go to a vendor that matches results to calls by id and refuses repeated
     * ones. Its arguments arrive as a JSON object and are kept as that object's text.
     */
    static ToolCall toolCall(JsonNode call) {
        JsonNode function = call.path("function");
        String id = call.path("id").asText("");
        JsonNode arguments = function.path("arguments");
        String text = arguments.isTextual() ? arguments.asText() : arguments.isMissingNode() || arguments.isNull() ? "{}"
                : arguments.toString();
        return new ToolCall(id.isBlank() ? newCallId() : id, function.path("name").asText(""), text);
    }

    private static String newCallId() {
        StringBuilder id = new StringBuilder("call_");
        for (int i = 0; i < 16; i++) {
            id.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
        }
        return id.toString();
    }

    /** Tokens read ({@code prompt_eval_count}, left out by Ollama when the prompt was cached) and written. */
    static Usage usage(JsonNode body) {
        return new Usage(Math.max(0, body.path("prompt_eval_count").asLong(0)), Math.max(0, body.path("eval_count").asLong(0)));
    }

    /**
     * Why the model stopped. Ollama says {@code stop} even when it answered with tool calls, so
     * their presence decides; an older server that gives no reason finished normally.
     */
    static FinishReason finish(String doneReason, boolean calledTools) {
        if (calledTools) {
            return FinishReason.TOOL_CALLS;
        }
        return switch (doneReason) {
            case "stop", "" -> FinishReason.STOP;
            case "length" -> FinishReason.LENGTH;
            default -> FinishReason.OTHER;
        };
    }
}
