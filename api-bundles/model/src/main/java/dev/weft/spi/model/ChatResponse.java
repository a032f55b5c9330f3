package dev.weft.spi.model;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A chat model's whole answer.
 *
 * @param message the answer: text, reasoning and tool calls
 * @param finishReason why the model stopped
 * @param usage tokens read and written
 * @param model the model that answered, as the vendor names it
 */
@ProviderType
public record ChatResponse(ChatMessage.Assistant message, FinishReason finishReason, Usage usage, String model) {

    public ChatResponse {
        Objects.requireNonNull(message, "message");
        finishReason = finishReason == null ? FinishReason.OTHER : finishReason;
        usage = usage == null ? Usage.NONE : usage;
    }
}
