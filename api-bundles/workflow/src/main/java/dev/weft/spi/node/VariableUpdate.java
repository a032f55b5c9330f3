package dev.weft.spi.node;

import dev.weft.api.core.JsonValues;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A new value a node asks the engine to give a variable it may write: a conversation variable
 * ({@code [conversation, name]}) or a loop variable ({@code [loop_id, name]}). Nodes never write
 * variables themselves; the engine applies updates when the node has finished.
 *
 * @param selector the variable
 * @param value its new value, whole (a JSON value); null clears it
 * @since 1.1
 */
@ProviderType
public record VariableUpdate(VariableSelector selector, Object value) {

    public VariableUpdate {
        Objects.requireNonNull(selector, "selector");
        if (!JsonValues.isJsonValue(value)) {
            throw new IllegalArgumentException("variable values are JSON values");
        }
        value = JsonValues.copyOf(value);
    }
}
