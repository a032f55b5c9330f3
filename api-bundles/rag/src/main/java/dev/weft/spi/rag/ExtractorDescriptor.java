package dev.weft.spi.rag;

import dev.weft.api.core.Descriptor;
import dev.weft.api.core.JsonValues;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a document extractor reads.
 *
 * @param mediaTypes the media types it reads ({@code application/pdf})
 * @param fileExtensions the file extensions it reads, lower case, without the dot ({@code pdf})
 */
@ProviderType
public record ExtractorDescriptor(String id, String version, String title, String description,
        Map<String, Object> configSchema, Set<String> mediaTypes, Set<String> fileExtensions) implements Descriptor {

    public ExtractorDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(title, "title");
        description = description == null ? "" : description;
        configSchema = configSchema == null ? Map.of() : JsonValues.copyOfObject(configSchema);
        mediaTypes = mediaTypes == null ? Set.of() : Set.copyOf(mediaTypes);
        fileExtensions = fileExtensions == null ? Set.of() : Set.copyOf(fileExtensions);
    }
}
