package dev.weft.spi.rag;

import dev.weft.api.core.JsonValues;
import java.util.Map;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A chunk found by a search, with where it came from.
 *
 * @param chunkId the chunk's id
 * @param documentId the id of the document it belongs to
 * @param content the chunk's text (the parent's, with parent-child chunking)
 * @param score how well it matched, between 0 and 1
 * @param metadata the chunk's metadata
 */
@ProviderType
public record ScoredChunk(String chunkId, String documentId, String content, double score,
        Map<String, Object> metadata) {

    public ScoredChunk {
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(content, "content");
        metadata = metadata == null ? Map.of() : JsonValues.copyOfObject(metadata);
    }
}
