package dev.weft.api.rag;

import dev.weft.api.core.JsonValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A chunk found, with where it came from.
 *
 * @param knowledgeBaseId the knowledge base
 * @param knowledgeBaseName its name
 * @param documentId the document
 * @param documentName its name
 * @param segmentId the chunk (the parent chunk, with parent-child chunking)
 * @param position the chunk's position in its document, from 0
 * @param content the chunk's text (the parent's, with parent-child chunking)
 * @param score how well it matched, between 0 and 1
 * @param children the child chunks that matched, with their scores (parent-child chunking)
 * @param metadata the document's metadata
 */
@ProviderType
public record RetrievedChunk(String knowledgeBaseId, String knowledgeBaseName, String documentId, String documentName,
        String segmentId, int position, String content, double score, List<Child> children, Map<String, Object> metadata) {

    /** A child chunk that matched. */
    @ProviderType
    public record Child(String segmentId, int position, String content, double score) {
    }

    public RetrievedChunk {
        Objects.requireNonNull(segmentId, "segmentId");
        Objects.requireNonNull(content, "content");
        children = children == null ? List.of() : List.copyOf(children);
        metadata = metadata == null ? Map.of() : JsonValues.copyOfObject(metadata);
    }
}
