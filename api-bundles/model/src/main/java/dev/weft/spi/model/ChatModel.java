package dev.weft.spi.model;

import java.util.function.Consumer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A chat (LLM) model of one vendor, bound to one configuration and model name.
 */
@ConsumerType
public interface ChatModel {

    /**
     * Answers a request whole. Blocks; call it on a virtual thread.
     *
     * @throws ModelException mapped onto the taxonomy
     */
    ChatResponse chat(ChatRequest request) throws ModelException;

    /**
     * Answers a request as a stream: emits {@link ChatEvent.TextDelta},
     * {@link ChatEvent.ReasoningDelta} and {@link ChatEvent.ToolCallDelta} events as the vendor sends
     * them, then exactly one {@link ChatEvent.Completed} with the whole response and its usage, and
     * returns. Blocks until the stream ends.
     *
     * @throws ModelException mapped onto the taxonomy, also when the stream breaks off half-way
     */
    void stream(ChatRequest request, Consumer<ChatEvent> sink) throws ModelException;
}
