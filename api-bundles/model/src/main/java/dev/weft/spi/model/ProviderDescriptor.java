package dev.weft.spi.model;

import dev.weft.api.core.Descriptor;
import dev.weft.api.core.JsonValues;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a model provider is.
 *
 * @param id the provider id ({@code openai}, {@code anthropic}, {@code ollama})
 * @param version the version of the provider's behaviour
 * @param title for people
 * @param description may be empty
 * @param configSchema JSON schema of its {@link ProviderConfig}; properties marked
 *     {@code "secret": true} are credentials, stored encrypted and never shown again
 * @param modelTypes the kinds of model it serves
 */
@ProviderType
public record ProviderDescriptor(String id, String version, String title, String description,
        Map<String, Object> configSchema, Set<ModelType> modelTypes) implements Descriptor {

    public ProviderDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(title, "title");
        description = description == null ? "" : description;
        configSchema = configSchema == null ? Map.of() : JsonValues.copyOfObject(configSchema);
        modelTypes = modelTypes == null || modelTypes.isEmpty()
                ? Set.of() : Set.copyOf(EnumSet.copyOf(modelTypes));
    }
}
