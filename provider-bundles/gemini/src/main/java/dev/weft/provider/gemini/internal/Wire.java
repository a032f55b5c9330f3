package dev.weft.provider.gemini.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ContentPart;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ModelParameters;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ResponseFormat;
import dev.weft.spi.model.ToolCall;
import dev.weft.spi.model.ToolSpec;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The body of a {@code generateContent} request (the streamed variant takes the same body).
 *
 * <p>System messages become {@code systemInstruction}; the rest become {@code contents} with the
 * roles {@code user} and {@code model}, a tool result being a {@code functionResponse} part of a
 * user turn. Consecutive turns of one role are merged into one, as the API expects turns to
 * alternate. Choices made where the SPI and the API differ:
 * <ul>
 *   <li>schemas go in {@code parametersJsonSchema} and {@code responseJsonSchema}, the fields that
 *       take standard JSON Schema; {@code parameters} and {@code responseSchema} take only Google's
 *       OpenAPI subset, which refuses common keywords such as {@code additionalProperties};</li>
 *   <li>a JSON schema's name and strictness have no field (the API always constrains);</li>
 *   <li>{@code user} has no field and is not sent; an image's {@code detail} is not sent;</li>
 *   <li>{@code ModelParameters.extra} goes into {@code generationConfig} (e.g. {@code thinkingConfig}),
 *       except the request-level {@code safetySettings} and {@code cachedContent}; it never
 *       overrides what the request itself set.</li>
 * </ul>
 */
final class Wire {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Reads JSON text that must be one value and nothing after it. */
    private static final ObjectReader STRICT = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Keys of {@code extra} that belong at the top of the request, not in {@code generationConfig}. */
    private static final Set<String> REQUEST_LEVEL = Set.of("safetySettings", "cachedContent");

    private Wire() {
    }

    static ObjectNode request(ChatRequest request) throws ModelException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode contents = body.putArray("contents");
        ArrayNode system = JSON.createArrayNode();
        Map<String, String> callNames = new HashMap<>();
        for (ChatMessage message : request.messages()) {
            switch (message) {
                case ChatMessage.System s -> system.addObject().put("text", s.text());
                case ChatMessage.User user -> {
                    ArrayNode parts = turn(contents, "user");
                    for (ContentPart part : user.content()) {
                        parts.add(part(part));
                    }
                }
                case ChatMessage.Assistant assistant -> {
                    // an empty turn (no text, no calls) would be refused; the reasoning is not sent back
                    if (!assistant.text().isEmpty() || !assistant.toolCalls().isEmpty()) {
                        ArrayNode parts = turn(contents, "model");
                        if (!assistant.text().isEmpty()) {
                            parts.addObject().put("text", assistant.text());
                        }
                        for (ToolCall call : assistant.toolCalls()) {
                            callNames.put(call.id(), call.name());
                            parts.add(functionCall(call));
                        }
                    }
                }
                case ChatMessage.ToolResult result -> turn(contents, "user").add(functionResponse(result, callNames));
            }
        }
        if (!system.isEmpty()) {
            body.putObject("systemInstruction").set("parts", system);
        }
        if (!request.tools().isEmpty()) {
            ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
            for (ToolSpec tool : request.tools()) {
                ObjectNode declaration = declarations.addObject().put("name", tool.name());
                if (!tool.description().isEmpty()) {
                    declaration.put("description", tool.description());
                }
                declaration.set("parametersJsonSchema", JSON.valueToTree(tool.parameters()));
            }
            body.putObject("toolConfig").putObject("functionCallingConfig").put("mode", switch (request.toolChoice()) {
                case AUTO -> "AUTO";
                case NONE -> "NONE";
                case REQUIRED -> "ANY";
            });
        }
        ObjectNode config = generationConfig(request.parameters(), request.responseFormat());
        for (Map.Entry<String, Object> extra : request.parameters().extra().entrySet()) {
            ObjectNode target = REQUEST_LEVEL.contains(extra.getKey()) ? body : config;
            if (!target.has(extra.getKey())) {
                target.set(extra.getKey(), JSON.valueToTree(extra.getValue()));
            }
        }
        if (!config.isEmpty()) {
            body.set("generationConfig", config);
        }
        return body;
    }

    /** The parts of the turn of this role: the last turn's when it has the role, else a new turn's. */
    private static ArrayNode turn(ArrayNode contents, String role) {
        if (!contents.isEmpty() && role.equals(contents.get(contents.size() - 1).path("role").asText())) {
            return (ArrayNode) contents.get(contents.size() - 1).path("parts");
        }
        ObjectNode content = contents.addObject().put("role", role);
        return content.putArray("parts");
    }

    private static ObjectNode generationConfig(ModelParameters p, ResponseFormat format) {
        ObjectNode config = JSON.createObjectNode();
        if (p.temperature() != null) {
            config.put("temperature", p.temperature());
        }
        if (p.topP() != null) {
            config.put("topP", p.topP());
        }
        if (p.maxTokens() != null) {
            config.put("maxOutputTokens", p.maxTokens());
        }
        if (!p.stop().isEmpty()) {
            ArrayNode stop = config.putArray("stopSequences");
            p.stop().forEach(stop::add);
        }
        if (p.seed() != null) {
            config.put("seed", p.seed());
        }
        if (p.presencePenalty() != null) {
            config.put("presencePenalty", p.presencePenalty());
        }
        if (p.frequencyPenalty() != null) {
            config.put("frequencyPenalty", p.frequencyPenalty());
        }
        switch (format) {
            case ResponseFormat.Text text -> {
            }
            case ResponseFormat.JsonObject json -> config.put("responseMimeType", "application/json");
            case ResponseFormat.JsonSchema schema -> {
                config.put("responseMimeType", "application/json");
                config.set("responseJsonSchema", JSON.valueToTree(schema.schema()));
            }
        }
        return config;
    }

    private static ObjectNode part(ContentPart part) throws ModelException {
        ObjectNode node = JSON.createObjectNode();
        switch (part) {
            case ContentPart.Text text -> node.put("text", text.text());
            case ContentPart.Image image -> {
                if (image.url().regionMatches(true, 0, "data:", 0, 5)) {
                    inlineData(node, image.url());
                } else {
                    node.putObject("fileData").put("mimeType", imageType(image.url())).put("fileUri", image.url());
                }
            }
        }
        return node;
    }

    /**
     * A {@code data:[type][;base64],payload} URL as {@code inlineData}, whose data is always base64.
     * A payload without {@code ;base64} is percent-encoded bytes: decoded byte for byte (ISO-8859-1),
     * {@code +} kept as itself (it is not a space outside form encoding).
     */
    private static void inlineData(ObjectNode node, String url) throws ModelException {
        int comma = url.indexOf(',');
        if (comma < 0) {
            throw new NonRetriableModelException.InvalidRequest("an image's data: URL has no ',' before its data");
        }
        String meta = url.substring(5, comma);
        String payload = url.substring(comma + 1);
        boolean base64 = meta.toLowerCase(Locale.ROOT).endsWith(";base64");
        String type = (base64 ? meta.substring(0, meta.length() - 7) : meta).split(";")[0].strip();
        String data;
        try {
            data = base64 ? payload : Base64.getEncoder().encodeToString(
                    URLDecoder.decode(payload.replace("+", "%2B"), StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
            throw new NonRetriableModelException.InvalidRequest("an image's data: URL is neither base64 nor validly"
                    + " percent-encoded: " + e.getMessage());
        }
        node.putObject("inlineData").put("mimeType", type.isEmpty() ? "text/plain" : type).put("data", data);
    }

    /**
     * The image type its URL's extension names. The API documents no default type for a
     * {@code fileData} part, and an image of unknown type cannot be sent as one: such a URL is refused.
     */
    private static String imageType(String url) throws NonRetriableModelException.InvalidRequest {
        String path;
        try {
            path = URI.create(url).getPath();
        } catch (IllegalArgumentException e) {
            path = null;
        }
        String name = path == null ? "" : path.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return switch (dot < 0 ? "" : name.substring(dot + 1)) {
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "webp" -> "image/webp";
            case "heic" -> "image/heic";
            case "heif" -> "image/heif";
            case "gif" -> "image/gif";
            // the URL itself stays out of the message: its query may hold a signed token
            default -> throw new NonRetriableModelException.InvalidRequest("the type of an image given by URL cannot be told"
                    + " from its name, and Gemini needs it; give the image by a URL whose path ends in .png, .jpg, .jpeg,"
                    + " .webp, .gif, .heic or .heif, or inline as a data: URL");
        };
    }

    private static ObjectNode functionCall(ToolCall call) throws ModelException {
        JsonNode args;
        try {
            args = call.arguments().isBlank() ? JSON.createObjectNode() : STRICT.readTree(call.arguments());
        } catch (IOException e) {
            args = null;
        }
        if (args == null || !args.isObject()) {
            throw new NonRetriableModelException.InvalidRequest("the arguments of the earlier call of " + call.name()
                    + " are not a JSON object; Gemini takes them only as one");
        }
        ObjectNode part = JSON.createObjectNode();
        part.putObject("functionCall").put("name", call.name()).set("args", args);
        String signature = CallIds.signature(call.id());
        if (signature != null) {
            part.put("thoughtSignature", signature);
        }
        return part;
    }

    /**
     * A tool's result as a {@code functionResponse}: named after its call (the API matches results to
     * calls by name), its content as the response object; content that is not a JSON object is
     * wrapped as {@code {"result": value}}, text that is not JSON (or JSON with text after it, such as
     * {@code 42 is the answer}) as a string.
     */
    private static ObjectNode functionResponse(ChatMessage.ToolResult result, Map<String, String> callNames)
            throws ModelException {
        String name = result.name() != null && !result.name().isBlank() ? result.name() : callNames.get(result.toolCallId());
        if (name == null) {
            throw new NonRetriableModelException.InvalidRequest("the tool result for call " + result.toolCallId()
                    + " names no tool, and no earlier call has that id; Gemini needs the tool's name");
        }
        JsonNode content;
        try {
            content = STRICT.readTree(result.content());
        } catch (IOException e) {
            content = null;
        }
        ObjectNode response;
        if (content != null && content.isObject()) {
            response = (ObjectNode) content;
        } else {
            response = JSON.createObjectNode();
            response.set("result", content == null || content.isMissingNode() ? JSON.getNodeFactory().textNode(result.content()) : content);
        }
        ObjectNode part = JSON.createObjectNode();
        part.putObject("functionResponse").put("name", name).set("response", response);
        return part;
    }
}
