package dev.weft.api.rag;

import dev.weft.api.core.WeftException;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Finds the chunks of a workspace's knowledge bases that answer a query, as Dify's knowledge
 * retrieval does: each knowledge base searched by its own settings, the results merged by score,
 * by weights, by reciprocal rank or by a rerank model, then cut to top-k and the score threshold.
 */
@ProviderType
public interface KnowledgeRetrieval {

    /**
     * The best chunks, best first.
     *
     * @throws WeftException {@code dataset_not_found} naming a knowledge base that does not exist in
     *     the workspace; {@code invalid_param} for a request that cannot be served (a rerank merge
     *     without a model, a filter on a key no knowledge base declares); a model's failure with its
     *     own code
     */
    List<RetrievedChunk> retrieve(RetrievalQuery query) throws WeftException;

    /**
     * The metadata fields a filter may test on all these knowledge bases together: the fields every
     * one of them declares, with their types ({@code string}, {@code number}, {@code time}), and the
     * built-in ones. What a model may write conditions on in automatic metadata filtering.
     *
     * @throws WeftException {@code dataset_not_found} naming a knowledge base that does not exist in
     *     the workspace
     */
    java.util.Map<String, String> metadataFields(String workspaceId, List<String> knowledgeBaseIds) throws WeftException;

    /**
     * Those of these knowledge bases that exist in the workspace, in the order given (an app that
     * names bases its workspace does not have searches the others).
     *
     * @since 1.1
     */
    default List<String> existing(String workspaceId, List<String> knowledgeBaseIds) {
        List<String> found = new java.util.ArrayList<>();
        for (String id : knowledgeBaseIds) {
            try {
                metadataFields(workspaceId, List.of(id));
                found.add(id);
            } catch (WeftException e) {
                if (!"dataset_not_found".equals(e.code())) {
                    throw e;
                }
            }
        }
        return found;
    }
}
