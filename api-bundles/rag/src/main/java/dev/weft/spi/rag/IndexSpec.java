package dev.weft.spi.rag;

import dev.weft.api.core.JsonValues;
import java.util.Map;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Which index to open, and its shape.
 *
 * @param workspaceId the workspace that owns the knowledge base
 * @param knowledgeBaseId the knowledge base
 * @param dimensions the vectors' dimension; 0 for a keyword-only (economy) index
 * @param settings provider-specific settings as a JSON object
 */
@ProviderType
public record IndexSpec(String workspaceId, String knowledgeBaseId, int dimensions, Map<String, Object> settings) {

    public IndexSpec {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(knowledgeBaseId, "knowledgeBaseId");
        if (dimensions < 0) {
            throw new IllegalArgumentException("dimensions cannot be negative");
        }
        settings = settings == null ? Map.of() : JsonValues.copyOfObject(settings);
    }
}
