package dev.weft.spi.model;

import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A request to a chat model.
 *
 * @param messages the conversation so far, oldest first
 * @param tools tools the model may call; empty for none
 * @param toolChoice whether it may, must or must not call them
 * @param parameters sampling and length parameters
 * @param responseFormat the form of the answer
 * @param user an opaque id of the end user, for the vendor's abuse monitoring; may be null
 */
@ProviderType
public record ChatRequest(List<ChatMessage> messages, List<ToolSpec> tools, ToolChoice toolChoice,
        ModelParameters parameters, ResponseFormat responseFormat, String user) {

    public ChatRequest {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
        tools = tools == null ? List.of() : List.copyOf(tools);
        toolChoice = toolChoice == null ? ToolChoice.AUTO : toolChoice;
        parameters = parameters == null ? ModelParameters.DEFAULTS : parameters;
        responseFormat = responseFormat == null ? new ResponseFormat.Text() : responseFormat;
    }

    /** A request with these messages and every default. */
    public static ChatRequest of(List<ChatMessage> messages) {
        return new ChatRequest(messages, List.of(), ToolChoice.AUTO, ModelParameters.DEFAULTS, null, null);
    }
}
