package dev.weft.provider.anthropic.internal;

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
import dev.weft.spi.model.ToolCall;
import dev.weft.spi.model.ToolChoice;
import dev.weft.spi.model.ToolSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Anthropic's Messages wire format: requests written, whole answers read.
 *
 * <p>How the SPI's request maps onto it:
 * <ul>
 *   <li>{@code max_tokens} is required by Anthropic: the request's {@code maxTokens}, else
 *       {@value #DEFAULT_MAX_TOKENS}; when extended thinking is asked for through
 *       {@code extra.thinking.budget_tokens} and no limit is set, the default is added to that
 *       budget, as Anthropic requires the budget to be below {@code max_tokens}.</li>
 *   <li>System messages, wherever they stand, become the top-level {@code system} string, joined
 *       by blank lines.</li>
 *   <li>Tool results are user turns ({@code tool_result} blocks); consecutive messages of one role
 *       are merged into one turn, as Anthropic wants user and assistant turns to alternate. A turn
 *       of one text block is written as a plain string.</li>
 *   <li>Reasoning of earlier assistant messages is not sent back: Anthropic accepts thinking only
 *       with the signature it issued, which the SPI does not keep. Extended thinking
 *       ({@code extra.thinking}) is therefore left out of a request whose last assistant message
 *       called tools: Anthropic wants the turn in progress, tool loop included, to run in one
 *       thinking mode and to begin with the signed thinking block, which cannot be given back, so
 *       such a request would be refused (400). The model then goes on without thinking until the
 *       next turn. Thinking with a forced tool ({@code tool_choice} {@code any} or {@code tool}:
 *       {@link ToolChoice#REQUIRED}, or a JSON answer) is refused before sending, as Anthropic
 *       does not allow it.</li>
 *   <li>Tool call ids, which may come from another vendor, are made to match Anthropic's
 *       {@code ^[a-zA-Z0-9_-]+$} and 64 characters (see {@link #toolId}).</li>
 *   <li>{@code temperature} and {@code top_p} are not sent together: newer Claude models refuse
 *       the pair, so when both are set only {@code temperature} goes.</li>
 *   <li>{@code presencePenalty}, {@code frequencyPenalty} and {@code seed} have no Anthropic
 *       counterpart and are left out rather than failing a request other providers serve; an
 *       image's {@code detail} is likewise dropped.</li>
 *   <li>{@code extra} is copied into the body for keys the provider did not write (e.g.
 *       {@code "thinking":{"type":"enabled","budget_tokens":2048}}, {@code "top_k"}).</li>
 * </ul>
 *
 * <p>JSON answers: Anthropic has no response-format parameter, so both {@link ResponseFormat.JsonSchema}
 * and {@link ResponseFormat.JsonObject} are asked for with an <em>answer tool</em> whose input
 * schema is the wanted schema (a permissive {@code {"type":"object"}} for JsonObject), and the
 * tool's input, as JSON text, is returned as the answer's text; the answer tool never shows up as
 * a tool call. When the request offers no tools of its own (or forbids them), the answer tool is
 * forced ({@code tool_choice: {"type":"tool"}}); when it offers tools the model may call, the
 * answer tool joins them and {@code tool_choice} becomes {@code any}, so the model either calls a
 * real tool or answers. Anthropic does not allow forced tool use together with extended thinking,
 * so a JSON answer with thinking is refused before it is sent.
 */
final class Wire {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Reads JSON text that must be one value and nothing after it. */
    private static final ObjectReader STRICT = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern TOOL_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final int DEFAULT_MAX_TOKENS = 4096;
    /** The answer tool's name for {@link ResponseFormat.JsonObject}. */
    static final String JSON_OBJECT_TOOL = "json_answer";

    private Wire() {
    }

    /** The name of the tool that carries a JSON answer, or null when the answer is free text. */
    static String answerTool(ChatRequest request) {
        return switch (request.responseFormat()) {
            case ResponseFormat.Text text -> null;
            case ResponseFormat.JsonObject json -> JSON_OBJECT_TOOL;
            case ResponseFormat.JsonSchema schema -> toolName(schema.name());
        };
    }

    /** A name Anthropic accepts for a tool: letters, digits, {@code _} and {@code -}, at most 64. */
    private static String toolName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9_-]", "_");
        safe = safe.length() > 64 ? safe.substring(0, 64) : safe;
        return safe.isEmpty() ? JSON_OBJECT_TOOL : safe;
    }

    static ObjectNode request(String model, ChatRequest request, boolean stream) throws NonRetriableModelException {
        boolean thinking = thinking(request);
        if (thinking && forcesTool(request)) {
            throw new NonRetriableModelException.InvalidRequest("Anthropic does not allow extended thinking (extra.thinking)"
                    + " together with forced tool use, which " + (answerTool(request) != null ? "a JSON answer (response format)"
                    : "tool choice REQUIRED") + " needs here; turn thinking off for this request, or let the model choose");
        }
        // the thinking blocks a tool loop must begin with cannot be given back (see the class comment)
        boolean dropThinking = thinking && lastAssistantCalledTools(request.messages());
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.put("max_tokens", maxTokens(request.parameters()));
        List<String> system = new ArrayList<>();
        for (ChatMessage message : request.messages()) {
            if (message instanceof ChatMessage.System s && !s.text().isBlank()) {
                system.add(s.text());
            }
        }
        if (!system.isEmpty()) {
            body.put("system", String.join("\n\n", system));
        }
        body.set("messages", messages(request.messages()));
        tools(body, request);
        ModelParameters p = request.parameters();
        if (p.temperature() != null) {
            body.put("temperature", p.temperature());
        } else if (p.topP() != null) {
            body.put("top_p", p.topP());
        }
        if (!p.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop_sequences");
            p.stop().forEach(stop::add);
        }
        if (request.user() != null && !request.user().isBlank()) {
            body.putObject("metadata").put("user_id", request.user());
        }
        if (stream) {
            body.put("stream", true);
        }
        for (Map.Entry<String, Object> extra : p.extra().entrySet()) {
            boolean dropped = extra.getKey().equals("stream") || dropThinking && extra.getKey().equals("thinking");
            if (!body.has(extra.getKey()) && !dropped) {
                body.set(extra.getKey(), JSON.valueToTree(extra.getValue()));
            }
        }
        return body;
    }

    /** Whether {@code extra.thinking} asks for extended thinking (any type but {@code disabled}). */
    private static boolean thinking(ChatRequest request) {
        JsonNode thinking = JSON.valueToTree(request.parameters().extra()).path("thinking");
        return thinking.isObject() && !thinking.path("type").asText("").equals("disabled");
    }

    /** Whether {@code tool_choice} will be {@code any} or {@code tool} (see {@link #tools}). */
    private static boolean forcesTool(ChatRequest request) {
        boolean ownTools = !request.tools().isEmpty() && request.toolChoice() != ToolChoice.NONE;
        return answerTool(request) != null || ownTools && request.toolChoice() == ToolChoice.REQUIRED;
    }

    private static boolean lastAssistantCalledTools(List<ChatMessage> messages) {
        for (ChatMessage message : messages.reversed()) {
            if (message instanceof ChatMessage.Assistant assistant) {
                return !assistant.toolCalls().isEmpty();
            }
        }
        return false;
    }

    private static int maxTokens(ModelParameters p) {
        if (p.maxTokens() != null) {
            return p.maxTokens();
        }
        JsonNode budget = JSON.valueToTree(p.extra()).path("thinking").path("budget_tokens");
        return budget.canConvertToInt() && budget.asInt() > 0 ? budget.asInt() + DEFAULT_MAX_TOKENS : DEFAULT_MAX_TOKENS;
    }

    /** {@code tools} and {@code tool_choice}; see the class comment for how a JSON answer joins them. */
    private static void tools(ObjectNode body, ChatRequest request) {
        String answerTool = answerTool(request);
        // with a JSON answer asked for, tools the model must not call are not offered at all
        boolean ownTools = !request.tools().isEmpty() && (request.toolChoice() != ToolChoice.NONE || answerTool == null);
        if (!ownTools && answerTool == null) {
            return;
        }
        ArrayNode tools = body.putArray("tools");
        if (ownTools) {
            for (ToolSpec tool : request.tools()) {
                ObjectNode t = tools.addObject().put("name", tool.name());
                if (!tool.description().isEmpty()) {
                    t.put("description", tool.description());
                }
                t.set("input_schema", JSON.valueToTree(tool.parameters()));
            }
        }
        ObjectNode choice = body.putObject("tool_choice");
        if (answerTool == null) {
            choice.put("type", switch (request.toolChoice()) {
                case AUTO -> "auto";
                case NONE -> "none";
                case REQUIRED -> "any";
            });
            return;
        }
        ObjectNode t = tools.addObject().put("name", answerTool);
        if (request.responseFormat() instanceof ResponseFormat.JsonSchema schema) {
            t.put("description", "Give the answer as JSON following the schema \"" + schema.name() + "\".");
            t.set("input_schema", JSON.valueToTree(schema.schema()));
        } else {
            t.put("description", "Give the answer as a JSON object.");
            t.putObject("input_schema").put("type", "object");
        }
        if (ownTools) {
            choice.put("type", "any");
        } else {
            choice.put("type", "tool").put("name", answerTool);
        }
    }

    /** Conversation turns, System messages left out, consecutive messages of one role merged. */
    private static ArrayNode messages(List<ChatMessage> messages) throws NonRetriableModelException {
        ArrayNode turns = JSON.createArrayNode();
        String lastRole = null;
        ArrayNode blocks = null;
        for (ChatMessage message : messages) {
            String role = switch (message) {
                case ChatMessage.System s -> null;
                case ChatMessage.Assistant a -> "assistant";
                case ChatMessage.User u -> "user";
                case ChatMessage.ToolResult r -> "user";
            };
            if (role == null) {
                continue;
            }
            ArrayNode content = blocks(message);
            if (content.isEmpty()) {
                continue;
            }
            if (!role.equals(lastRole)) {
                blocks = turns.addObject().put("role", role).putArray("content");
                lastRole = role;
            }
            blocks.addAll(content);
        }
        for (JsonNode turn : turns) {
            JsonNode content = turn.path("content");
            if (content.size() == 1 && content.get(0).path("type").asText().equals("text")) {
                ((ObjectNode) turn).put("content", content.get(0).path("text").asText());
            }
        }
        return turns;
    }

    private static ArrayNode blocks(ChatMessage message) throws NonRetriableModelException {
        ArrayNode blocks = JSON.createArrayNode();
        switch (message) {
            case ChatMessage.System s -> {
            }
            case ChatMessage.User user -> {
                for (ContentPart part : user.content()) {
                    switch (part) {
                        case ContentPart.Text text -> text(blocks, text.text());
                        case ContentPart.Image image -> blocks.add(image(image.url()));
                    }
                }
            }
            case ChatMessage.Assistant assistant -> {
                text(blocks, assistant.text());
                for (ToolCall call : assistant.toolCalls()) {
                    blocks.addObject().put("type", "tool_use").put("id", toolId(call.id())).put("name", call.name())
                            .set("input", input(call));
                }
            }
            case ChatMessage.ToolResult result -> blocks.addObject().put("type", "tool_result")
                    .put("tool_use_id", toolId(result.toolCallId())).put("content", result.content());
        }
        return blocks;
    }

    /**
     * A tool call id as Anthropic accepts it ({@code ^[a-zA-Z0-9_-]+$}, at most 64 characters), for a
     * history that another vendor's model wrote. Its own ids pass unchanged; other characters become
     * {@code _}; an id still too long (or empty) is replaced by {@code call_} and the base64url
     * SHA-256 of the original id. The same id always gives the same result, so a {@code tool_use}
     * and its {@code tool_result} still match.
     */
    static String toolId(String id) {
        String safe = id.replaceAll("[^A-Za-z0-9_-]", "_");
        if (TOOL_ID.matcher(safe).matches()) {
            return safe;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return "call_" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Anthropic refuses empty text blocks, so empty text is left out. */
    private static void text(ArrayNode blocks, String text) {
        if (!text.isEmpty()) {
            blocks.addObject().put("type", "text").put("text", text);
        }
    }

    private static JsonNode input(ToolCall call) throws NonRetriableModelException {
        if (call.arguments().isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode input = STRICT.readTree(call.arguments());
            if (input != null && input.isObject()) {
                return input;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new NonRetriableModelException.InvalidRequest("the arguments of the earlier tool call " + call.id()
                + " are not a JSON object, and Anthropic accepts nothing else as a tool call's input");
    }

    /** An image block: {@code data:} URLs inline as base64, {@code https:} URLs by reference. */
    private static ObjectNode image(String url) throws NonRetriableModelException {
        ObjectNode block = JSON.createObjectNode().put("type", "image");
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            String header = comma < 0 ? "" : url.substring(5, comma);
            if (!header.endsWith(";base64")) {
                throw new NonRetriableModelException.InvalidRequest("an image data: URL must be base64-encoded");
            }
            block.putObject("source").put("type", "base64")
                    .put("media_type", header.substring(0, header.length() - ";base64".length()))
                    .put("data", url.substring(comma + 1));
        } else if (url.startsWith("https://")) {
            block.putObject("source").put("type", "url").put("url", url);
        } else {
            throw new NonRetriableModelException.InvalidRequest("an image must be given by an https: or a data: URL");
        }
        return block;
    }

    /** A whole (not streamed) answer; {@code answerTool} as {@link #answerTool}. */
    static ChatResponse response(JsonNode body, String requestedModel, String answerTool) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode block : body.path("content")) {
            switch (block.path("type").asText("")) {
                case "text" -> text.append(block.path("text").asText(""));
                case "thinking" -> reasoning.append(block.path("thinking").asText(""));
                case "tool_use" -> {
                    String name = block.path("name").asText("");
                    String input = block.path("input").isMissingNode() ? "{}" : block.path("input").toString();
                    if (name.equals(answerTool)) {
                        text.append(input);
                    } else {
                        calls.add(new ToolCall(block.path("id").asText(""), name, input));
                    }
                }
                default -> {
                    // redacted_thinking carries nothing readable; other block types are not the SPI's
                }
            }
        }
        return new ChatResponse(new ChatMessage.Assistant(text.toString(), reasoning.toString(), calls),
                finish(body.path("stop_reason").asText(null), !calls.isEmpty()), new Tokens().read(body.path("usage")).usage(),
                body.path("model").asText(requestedModel));
    }

    /**
     * The finish reason of a {@code stop_reason}. A {@code tool_use} stop with no tool call left
     * for the caller (only the answer tool was called) is a plain stop.
     */
    static FinishReason finish(String reason, boolean toolCalls) {
        if (reason == null) {
            return FinishReason.OTHER;
        }
        return switch (reason) {
            case "end_turn", "stop_sequence" -> FinishReason.STOP;
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> toolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }
}
