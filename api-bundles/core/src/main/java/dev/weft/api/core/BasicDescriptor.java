package dev.weft.api.core;

import java.util.Map;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A descriptor with nothing beyond the common fields, for kinds of service that need no more
 * (chunkers, index providers, tool providers).
 */
@ProviderType
public record BasicDescriptor(String id, String version, String title, String description,
        Map<String, Object> configSchema) implements Descriptor {

    public BasicDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(title, "title");
        description = description == null ? "" : description;
        configSchema = configSchema == null ? Map.of() : JsonValues.copyOfObject(configSchema);
    }
}
