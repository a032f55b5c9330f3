package dev.weft.spi.model;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A tool call the model asked for.
 *
 * @param id the vendor's id of the call, echoed back in {@link ChatMessage.ToolResult}
 * @param name the tool's name
 * @param arguments the arguments as JSON text, exactly as the model wrote them (it may be invalid)
 */
@ProviderType
public record ToolCall(String id, String name, String arguments) {

    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = arguments == null ? "" : arguments;
    }
}
