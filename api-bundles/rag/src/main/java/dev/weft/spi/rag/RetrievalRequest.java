package dev.weft.spi.rag;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A question to knowledge kept outside Weft.
 *
 * @param knowledgeId the external knowledge base's id
 * @param query the user's words
 * @param topK how many chunks to return at most
 * @param scoreThreshold the lowest score returned; 0 for no threshold
 * @param filter conditions on metadata
 */
@ProviderType
public record RetrievalRequest(String knowledgeId, String query, int topK, double scoreThreshold,
        MetadataFilter filter) {

    public RetrievalRequest {
        Objects.requireNonNull(knowledgeId, "knowledgeId");
        Objects.requireNonNull(query, "query");
        filter = filter == null ? MetadataFilter.NONE : filter;
    }
}
