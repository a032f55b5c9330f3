package dev.weft.spi.model;

import dev.weft.api.core.JsonValues;
import java.util.Map;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A tool (function) the model may call.
 *
 * @param name the name the model uses to call it
 * @param description when to call it, for the model
 * @param parameters JSON schema of its arguments, as a JSON object
 */
@ProviderType
public record ToolSpec(String name, String description, Map<String, Object> parameters) {

    public ToolSpec {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        parameters = parameters == null ? Map.of("type", "object") : JsonValues.copyOfObject(parameters);
    }
}
