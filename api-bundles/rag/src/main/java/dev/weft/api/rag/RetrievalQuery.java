package dev.weft.api.rag;

import dev.weft.spi.rag.MetadataFilter;
import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A retrieval across knowledge bases.
 *
 * @param workspaceId the workspace whose knowledge bases are searched
 * @param knowledgeBaseIds the knowledge bases, at least one
 * @param query the user's words
 * @param topK how many chunks to return at most
 * @param scoreThreshold the lowest score returned; null for no threshold
 * @param merge how the results of several knowledge bases (and each one's search modes) are merged
 * @param rerankProvider the rerank model's provider, for {@link Merge#RERANK_MODEL}
 * @param rerankModel the rerank model, for {@link Merge#RERANK_MODEL}
 * @param semanticWeight for {@link Merge#WEIGHTED_SCORE}: the weight of meaning (the words get the rest)
 * @param filter conditions on documents' metadata, ANDed with the platform's own scope
 * @param runId the run asking, for the accounts of model calls; may be null
 * @param nodeId the node asking; may be null
 */
@ProviderType
public record RetrievalQuery(String workspaceId, List<String> knowledgeBaseIds, String query, int topK,
        Double scoreThreshold, Merge merge, String rerankProvider, String rerankModel, double semanticWeight,
        MetadataFilter filter, String runId, String nodeId) {

    /** How results are merged. */
    @ProviderType
    public enum Merge {
        /** Each knowledge base by its own retrieval settings; results ordered by their scores. */
        DEFAULT,
        /** Meaning and words weighted ({@code semanticWeight}). */
        WEIGHTED_SCORE,
        /** Reciprocal-rank fusion of every list. */
        RECIPROCAL_RANK,
        /** Every candidate scored again by a rerank model. */
        RERANK_MODEL
    }

    public RetrievalQuery {
        Objects.requireNonNull(workspaceId, "workspaceId");
        knowledgeBaseIds = List.copyOf(knowledgeBaseIds);
        Objects.requireNonNull(query, "query");
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1");
        }
        merge = merge == null ? Merge.DEFAULT : merge;
        if (semanticWeight < 0 || semanticWeight > 1) {
            throw new IllegalArgumentException("semanticWeight is between 0 and 1");
        }
        filter = filter == null ? MetadataFilter.NONE : filter;
    }
}
