package dev.weft.provider.gemini.internal;

import dev.weft.api.http.EgressException;
import dev.weft.api.http.StreamingResponse;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatModel;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.RetriableModelException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** A Gemini chat model: {@code generateContent}, and {@code streamGenerateContent} as server-sent events. */
final class GeminiChat implements ChatModel {

    private final Endpoint endpoint;
    private final String model;

    GeminiChat(Endpoint endpoint, String model) {
        this.endpoint = endpoint;
        this.model = model;
    }

    @Override
    public ChatResponse chat(ChatRequest request) throws ModelException {
        AnswerReader answer = new AnswerReader(endpoint.failures(), model);
        answer.read(endpoint.post(Endpoint.resource(model) + ":generateContent", Wire.request(request)), event -> { });
        return answer.response();
    }

    @Override
    public void stream(ChatRequest request, Consumer<ChatEvent> sink) throws ModelException {
        AnswerReader answer = new AnswerReader(endpoint.failures(), model);
        try (StreamingResponse response = endpoint.postStream(Endpoint.resource(model) + ":streamGenerateContent?alt=sse",
                Wire.request(request))) {
            read(response, answer, sink);
        } catch (IOException e) {
            if (e.getCause() instanceof EgressException egress) {
                throw Failures.egress(egress);
            }
            throw new RetriableModelException.Unavailable("the stream from " + endpoint.baseUrl() + " broke off: "
                    + e.getClass().getSimpleName(), e);
        }
        sink.accept(new ChatEvent.Completed(answer.response()));
    }

    /**
     * Reads the events: {@code data:} lines, an event ending at a blank line, each a whole
     * {@code GenerateContentResponse}. Gemini sends no end marker; a stream is complete only when a
     * response carried a finish reason, and one that ends before is a broken-off answer.
     */
    private void read(StreamingResponse response, AnswerReader answer, Consumer<ChatEvent> sink)
            throws IOException, ModelException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(5).stripLeading());
            } else if (line.isEmpty() && !data.isEmpty()) {
                answer.read(Wire.JSON.readTree(data.toString()), sink);
                data.setLength(0);
            }
            // "event:", "id:", "retry:" and ":" comments carry nothing here
        }
        if (!data.isEmpty()) {
            answer.read(Wire.JSON.readTree(data.toString()), sink);
        }
        if (!answer.finished()) {
            throw new RetriableModelException.Unavailable("the stream from " + endpoint.baseUrl()
                    + " ended before the answer was complete", null);
        }
    }
}
