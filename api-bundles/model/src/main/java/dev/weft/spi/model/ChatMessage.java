package dev.weft.spi.model;

import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One message of a conversation with a chat model.
 */
@ProviderType
public sealed interface ChatMessage {

    /** Instructions that frame the conversation. */
    @ProviderType
    record System(String text) implements ChatMessage {
        public System {
            Objects.requireNonNull(text, "text");
        }
    }

    /** What the user said: text, images, or both. */
    @ProviderType
    record User(List<ContentPart> content) implements ChatMessage {
        public User {
            content = List.copyOf(content);
            if (content.isEmpty()) {
                throw new IllegalArgumentException("a user message needs some content");
            }
        }

        /** A user message with only text. */
        public static User of(String text) {
            return new User(List.of(new ContentPart.Text(text)));
        }
    }

    /**
     * What the model answered: text, the tools it wants called, or both. Reasoning content, when
     * the model produces it, is kept apart from the answer.
     */
    @ProviderType
    record Assistant(String text, String reasoning, List<ToolCall> toolCalls) implements ChatMessage {
        public Assistant {
            text = text == null ? "" : text;
            reasoning = reasoning == null ? "" : reasoning;
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        }

        /** An answer with only text. */
        public static Assistant of(String text) {
            return new Assistant(text, "", List.of());
        }
    }

    /** The result of a tool call, sent back to the model. */
    @ProviderType
    record ToolResult(String toolCallId, String name, String content) implements ChatMessage {
        public ToolResult {
            Objects.requireNonNull(toolCallId, "toolCallId");
            Objects.requireNonNull(content, "content");
        }
    }
}
