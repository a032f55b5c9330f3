package dev.weft.spi.model;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a streaming chat model emits. New kinds of event may be added in minor versions: handle the
 * ones you know and ignore the rest.
 */
@ProviderType
public sealed interface ChatEvent {

    /** A new piece of the answer's text. */
    @ProviderType
    record TextDelta(String text) implements ChatEvent {
        public TextDelta {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A new piece of the model's reasoning, kept apart from the answer. */
    @ProviderType
    record ReasoningDelta(String text) implements ChatEvent {
        public ReasoningDelta {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A new piece of a tool call. The first delta of a call carries its id and name; later ones
     * carry more of its arguments' JSON text.
     *
     * @param index which call of this answer the piece belongs to, from 0
     */
    @ProviderType
    record ToolCallDelta(int index, String id, String name, String argumentsDelta) implements ChatEvent {
        public ToolCallDelta {
            argumentsDelta = argumentsDelta == null ? "" : argumentsDelta;
        }
    }

    /** The stream ended; the whole answer and its usage. Always the last event. */
    @ProviderType
    record Completed(ChatResponse response) implements ChatEvent {
        public Completed {
            Objects.requireNonNull(response, "response");
        }
    }
}
