package dev.weft.provider.anthropic.internal;

import dev.weft.api.http.EgressException;
import dev.weft.api.http.StreamingResponse;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatModel;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.RetriableModelException;
import java.io.IOException;
import java.util.function.Consumer;

/** A Claude model, over {@code POST /v1/messages}. */
final class AnthropicChat implements ChatModel {

    static final String PATH = "/v1/messages";

    private final Endpoint endpoint;
    private final String model;

    AnthropicChat(Endpoint endpoint, String model) {
        this.endpoint = endpoint;
        this.model = model;
    }

    @Override
    public ChatResponse chat(ChatRequest request) throws ModelException {
        return Wire.response(endpoint.post(PATH, Wire.request(model, request, false)), model, Wire.answerTool(request));
    }

    @Override
    public void stream(ChatRequest request, Consumer<ChatEvent> sink) throws ModelException {
        StreamReader reader = new StreamReader(endpoint, model, Wire.answerTool(request), sink);
        try (StreamingResponse response = endpoint.postStream(PATH, Wire.request(model, request, true))) {
            reader.read(response.body());
        } catch (IOException e) {
            if (e.getCause() instanceof EgressException egress) {
                throw Endpoint.egressFailure(egress);
            }
            throw new RetriableModelException.Unavailable("the stream from " + endpoint.baseUrl() + " broke off: "
                    + e.getClass().getSimpleName(), e);
        }
    }
}
