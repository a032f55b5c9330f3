package dev.weft.spi.rag;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A search of one knowledge index.
 *
 * @param query the user's words
 * @param queryVector the query's embedding; required for semantic and hybrid search
 * @param mode how to search
 * @param topK how many chunks to return at most
 * @param scoreThreshold the lowest score returned; 0 for no threshold
 * @param semanticWeight in hybrid search, the weight of the semantic score (the full-text score
 *     gets the rest)
 * @param filter conditions on metadata, applied before ranking
 */
@ProviderType
public record SearchRequest(String query, float[] queryVector, SearchMode mode, int topK, double scoreThreshold,
        double semanticWeight, MetadataFilter filter) {

    public SearchRequest {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(mode, "mode");
        if (mode != SearchMode.FULL_TEXT && queryVector == null) {
            throw new IllegalArgumentException(mode + " search needs the query's vector");
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1");
        }
        if (semanticWeight < 0 || semanticWeight > 1) {
            throw new IllegalArgumentException("semanticWeight is between 0 and 1");
        }
        filter = filter == null ? MetadataFilter.NONE : filter;
    }
}
