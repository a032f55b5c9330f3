package dev.weft.provider.ollama.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.api.http.EgressException;
import dev.weft.api.http.StreamingResponse;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatModel;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.RetriableModelException;
import dev.weft.spi.model.ToolCall;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A chat model of an Ollama server, over {@code POST /api/chat}. */
final class OllamaChat implements ChatModel {

    static final String PATH = "/api/chat";

    private final Endpoint endpoint;
    private final String model;

    OllamaChat(Endpoint endpoint, String model) {
        this.endpoint = endpoint;
        this.model = model;
    }

    @Override
    public ChatResponse chat(ChatRequest request) throws ModelException {
        return Wire.response(endpoint.post(PATH, body(request, false)), model, endpoint.baseUrl());
    }

    @Override
    public void stream(ChatRequest request, Consumer<ChatEvent> sink) throws ModelException {
        try (StreamingResponse response = endpoint.postStream(PATH, body(request, true))) {
            read(response, sink);
        } catch (IOException e) {
            if (e.getCause() instanceof EgressException egress) {
                throw Endpoint.egressFailure(egress);
            }
            throw new RetriableModelException.Unavailable("the stream from Ollama at " + endpoint.baseUrl() + " broke off: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private ObjectNode body(ChatRequest request, boolean stream) throws ModelException {
        ObjectNode body = Wire.request(model, request, stream);
        endpoint.keepAlive(body);
        return body;
    }

    /**
     * Reads Ollama's NDJSON stream: one JSON object a line, each with a piece of the message (text,
     * thinking, or whole tool calls), the last with {@code "done":true}, the reason and the token
     * counts. A stream that ends without that last line broke off; a line with {@code error} is a
     * failure of the model run (Ollama has already said 200, so it counts as the server failing).
     */
    private void read(StreamingResponse response, Consumer<ChatEvent> sink) throws IOException, ModelException {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode chunk = parse(line);
            if (chunk.has("error")) {
                throw new RetriableModelException.Unavailable("Ollama at " + endpoint.baseUrl() + " failed mid-stream: "
                        + endpoint.errorMessage(line), null);
            }
            JsonNode message = chunk.path("message");
            String thought = message.path("thinking").asText("");
            if (!thought.isEmpty()) {
                reasoning.append(thought);
                sink.accept(new ChatEvent.ReasoningDelta(thought));
            }
            String content = message.path("content").asText("");
            if (!content.isEmpty()) {
                text.append(content);
                sink.accept(new ChatEvent.TextDelta(content));
            }
            for (JsonNode node : message.path("tool_calls")) {
                ToolCall call = Wire.toolCall(node);
                sink.accept(new ChatEvent.ToolCallDelta(calls.size(), call.id(), call.name(), call.arguments()));
                calls.add(call);
            }
            if (chunk.path("done").asBoolean(false)) {
                ChatResponse whole = new ChatResponse(new ChatMessage.Assistant(text.toString(), reasoning.toString(), calls),
                        Wire.finish(chunk.path("done_reason").asText(""), !calls.isEmpty()), Wire.usage(chunk),
                        chunk.path("model").asText(model));
                sink.accept(new ChatEvent.Completed(whole));
                return;
            }
        }
        throw new RetriableModelException.Unavailable("the stream from Ollama at " + endpoint.baseUrl()
                + " ended before the answer was complete", null);
    }

    private JsonNode parse(String line) throws RetriableModelException.Unavailable {
        try {
            return Wire.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new RetriableModelException.Unavailable("Ollama at " + endpoint.baseUrl()
                    + " streamed a line that is not JSON", e);
        }
    }
}
