package dev.weft.platform.knowledge;

import dev.weft.api.core.WeftException;
import dev.weft.api.rag.RetrievedChunk;
import dev.weft.platform.store.KnowledgeRepository.Document;
import dev.weft.platform.store.KnowledgeRepository.KnowledgeBase;
import dev.weft.platform.store.KnowledgeRepository.Segment;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Knowledge bases of a workspace, their documents and chunks. Every call is scoped to a workspace:
 * another workspace's id answers as unknown. Bad input fails with a {@link WeftException}
 * ({@code invalid_param}, {@code dataset_not_found}, {@code document_not_found}...) and changes nothing.
 */
@ProviderType
public interface KnowledgeAdministration {

    /**
     * What a new knowledge base is, in Dify's terms; null fields take the defaults.
     *
     * @param indexingTechnique {@code high_quality} (default) or {@code economy}
     * @param embeddingProvider the embedding model's provider; null: the workspace's default, else the local model
     * @param language the text analyzer: {@code auto} (default), {@code en}, {@code zh}, {@code ja}, {@code cjk}
     * @param docForm {@code text_model} (default) or {@code hierarchical_model}
     * @param processRule Dify's process rule ({@code mode} automatic, custom or hierarchical, {@code rules})
     * @param retrievalModel Dify's retrieval model ({@code search_method}, {@code top_k}, {@code weights}...)
     * @param metadataFields the metadata keys documents may carry, with their types ({@code string},
     *     {@code number}, {@code time}): the only keys filters may test, besides the built-in ones
     */
    @ProviderType
    record NewKnowledgeBase(String name, String description, String indexingTechnique, String embeddingProvider,
            String embeddingModel, String language, String docForm, Map<String, Object> processRule,
            Map<String, Object> retrievalModel, Map<String, String> metadataFields) {
    }

    KnowledgeBase create(String workspaceId, NewKnowledgeBase spec) throws WeftException;

    List<KnowledgeBase> bases(String workspaceId);

    Optional<KnowledgeBase> base(String workspaceId, String id);

    /** Changes name, description, process rule, retrieval model or metadata fields (nulls keep what is there). */
    KnowledgeBase update(String workspaceId, String id, NewKnowledgeBase changes) throws WeftException;

    /** Deletes a knowledge base, its documents, chunks, files and index. */
    boolean delete(String workspaceId, String id);

    /** Adds a document from text; it is queued for ingestion at once. */
    Document addText(String workspaceId, String knowledgeBaseId, String name, String text, Map<String, Object> metadata)
            throws WeftException;

    /**
     * Adds a document from a file; its type is decided from its content (and name), never from what
     * the caller claims; the file is kept under a key the platform makes. Queued at once.
     */
    Document addFile(String workspaceId, String knowledgeBaseId, String fileName, InputStream content,
            Map<String, Object> metadata) throws WeftException;

    List<Document> documents(String workspaceId, String knowledgeBaseId, String keyword, int page, int limit)
            throws WeftException;

    Optional<Document> document(String workspaceId, String documentId);

    /** Queues a document for ingestion again (a failed one, or after its base's rules changed). */
    Document reindex(String workspaceId, String documentId) throws WeftException;

    /** Takes a document out of search, or puts it back. */
    Document enable(String workspaceId, String documentId, boolean enabled) throws WeftException;

    /** Replaces a document's metadata; keys must be the base's metadata fields. */
    Document metadata(String workspaceId, String documentId, Map<String, Object> metadata) throws WeftException;

    boolean deleteDocument(String workspaceId, String documentId) throws WeftException;

    List<Segment> segments(String workspaceId, String documentId) throws WeftException;

    /** Edits a chunk's text (embedded again) or its enabled flag (null keeps it); the index follows. */
    Segment updateSegment(String workspaceId, String segmentId, String content, Boolean enabled) throws WeftException;

    /** Hit testing: one knowledge base searched with its settings, or with the retrieval model given. */
    List<RetrievedChunk> hitTest(String workspaceId, String knowledgeBaseId, String query,
            Map<String, Object> retrievalModel) throws WeftException;
}
