package dev.weft.provider.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.http.EgressException;
import dev.weft.api.http.StreamingResponse;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatModel;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.FinishReason;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.RetriableModelException;
import dev.weft.spi.model.ToolCall;
import dev.weft.spi.model.Usage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** A chat model of an OpenAI-compatible server. */
final class OpenAiChat implements ChatModel {

    private final Endpoint endpoint;
    private final String model;

    OpenAiChat(Endpoint endpoint, String model) {
        this.endpoint = endpoint;
        this.model = model;
    }

    @Override
    public ChatResponse chat(ChatRequest request) throws ModelException {
        return Wire.response(endpoint.post("/chat/completions", Wire.request(model, request, false)), model);
    }

    @Override
    public void stream(ChatRequest request, Consumer<ChatEvent> sink) throws ModelException {
        try (StreamingResponse response = endpoint.postStream("/chat/completions", Wire.request(model, request, true))) {
            String type = response.header("Content-Type").orElse("");
            if (!type.contains("event-stream")) {
                // a server that ignores "stream": the whole answer at once
                JsonNode body = Wire.JSON.readTree(response.body());
                ChatResponse whole = Wire.response(body, model);
                if (!whole.message().reasoning().isEmpty()) {
                    sink.accept(new ChatEvent.ReasoningDelta(whole.message().reasoning()));
                }
                if (!whole.message().text().isEmpty()) {
                    sink.accept(new ChatEvent.TextDelta(whole.message().text()));
                }
                sink.accept(new ChatEvent.Completed(whole));
                return;
            }
            read(response, sink);
        } catch (IOException e) {
            if (e.getCause() instanceof EgressException egress) {
                throw Endpoint.egressFailure(egress);
            }
            throw new RetriableModelException.Unavailable("the stream from " + endpoint.baseUrl() + " broke off: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /** Reads server-sent events ({@code data:} lines, blank-line separated, {@code [DONE]} at the end). */
    private void read(StreamingResponse response, Consumer<ChatEvent> sink) throws IOException, ModelException {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        Map<Integer, String[]> calls = new TreeMap<>();
        Usage usage = Usage.NONE;
        FinishReason finish = null;
        String servedModel = model;
        boolean done = false;
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data.isEmpty()) {
                    continue;
                }
                String payload = data.toString();
                data.setLength(0);
                if (payload.strip().equals("[DONE]")) {
                    done = true;
                    break;
                }
                JsonNode chunk = Wire.JSON.readTree(payload);
                if (chunk.has("error")) {
                    throw endpoint.failure(500, payload, null);
                }
                servedModel = chunk.path("model").asText(servedModel);
                if (chunk.hasNonNull("usage")) {
                    usage = Wire.usage(chunk.path("usage"));
                }
                for (JsonNode choice : chunk.path("choices")) {
                    JsonNode delta = choice.path("delta");
                    String content = delta.path("content").asText("");
                    if (!content.isEmpty()) {
                        text.append(content);
                        sink.accept(new ChatEvent.TextDelta(content));
                    }
                    String thought = delta.path("reasoning_content").isTextual() ? delta.path("reasoning_content").asText()
                            : delta.path("reasoning").asText("");
                    if (!thought.isEmpty()) {
                        reasoning.append(thought);
                        sink.accept(new ChatEvent.ReasoningDelta(thought));
                    }
                    for (JsonNode call : delta.path("tool_calls")) {
                        int index = call.path("index").asInt(calls.size());
                        boolean first = !calls.containsKey(index);
                        String[] acc = calls.computeIfAbsent(index, i -> new String[] {"", "", ""});
                        String id = call.path("id").asText("");
                        String name = call.path("function").path("name").asText("");
                        String arguments = call.path("function").path("arguments").asText("");
                        if (!id.isEmpty()) {
                            acc[0] = id;
                        } else if (first) {
                            // a server that names no call: an id of our own, unique, on the first piece
                            id = Wire.newCallId();
                            acc[0] = id;
                        }
                        if (!name.isEmpty()) {
                            acc[1] = acc[1] + name;
                        }
                        acc[2] = acc[2] + arguments;
                        sink.accept(new ChatEvent.ToolCallDelta(index, id.isEmpty() ? null : id,
                                name.isEmpty() ? null : name, arguments));
                    }
                    if (choice.hasNonNull("finish_reason")) {
                        finish = Wire.finish(choice.path("finish_reason").asText());
                    }
                }
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(5).stripLeading());
            }
            // "event:", "id:", "retry:" and ":" comments carry nothing for chat completions
        }
        if (!done && finish == null) {
            throw new RetriableModelException.Unavailable("the stream from " + endpoint.baseUrl()
                    + " ended before the answer was complete", null);
        }
        List<ToolCall> toolCalls = new ArrayList<>();
        calls.values().forEach(c -> toolCalls.add(new ToolCall(c[0].isEmpty() ? Wire.newCallId() : c[0], c[1], c[2])));
        ChatResponse whole = new ChatResponse(new ChatMessage.Assistant(text.toString(), reasoning.toString(), toolCalls),
                finish == null ? FinishReason.STOP : finish, usage, servedModel);
        sink.accept(new ChatEvent.Completed(whole));
    }
}
