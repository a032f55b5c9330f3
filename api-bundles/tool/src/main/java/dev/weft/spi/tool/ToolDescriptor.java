package dev.weft.spi.tool;

import dev.weft.api.core.JsonValues;
import java.util.Map;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A tool as models and the editor see it.
 *
 * @param name unique within its provider; what a model calls it by
 * @param title for people
 * @param description when to use it, for models and people
 * @param inputSchema JSON schema of its arguments
 */
@ProviderType
public record ToolDescriptor(String name, String title, String description, Map<String, Object> inputSchema) {

    public ToolDescriptor {
        Objects.requireNonNull(name, "name");
        title = title == null || title.isBlank() ? name : title;
        description = description == null ? "" : description;
        inputSchema = inputSchema == null ? Map.of("type", "object") : JsonValues.copyOfObject(inputSchema);
    }
}
