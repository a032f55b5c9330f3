package dev.weft.platform.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Knowledge bases, their documents (with where each one's ingestion stands) and their chunks.
 * Every read and write is scoped to a workspace: another workspace's id reads as unknown.
 *
 * @since 1.4
 */
@ProviderType
public interface KnowledgeRepository {

    /**
     * A knowledge base.
     *
     * @param indexingTechnique {@code high_quality} (embeddings) or {@code economy} (keywords only)
     * @param dimensions the embedding model's dimension, 0 until known and for economy
     * @param language the text analyzer's language ({@code auto}, {@code en}, {@code zh}...)
     * @param docForm {@code text_model} or {@code hierarchical_model}
     * @param processRuleJson Dify's process rule
     * @param retrievalModelJson Dify's retrieval model
     * @param metadataFieldsJson the metadata fields documents may carry and filters may test
     */
    @ProviderType
    record KnowledgeBase(String id, String workspaceId, String name, String description, String indexingTechnique,
            String embeddingProvider, String embeddingModel, int dimensions, String language, String docForm,
            String processRuleJson, String retrievalModelJson, String metadataFieldsJson, Instant createdAt,
            Instant updatedAt) {
    }

    /**
     * A document and its ingestion.
     *
     * @param source {@code upload} or {@code text}
     * @param fileKey where the platform keeps its bytes (a key it generated, never the user's name)
     * @param status queued, extracting, chunking, embedding, indexed or failed
     * @param attempts how many times its ingestion started
     */
    @ProviderType
    record Document(String id, String knowledgeBaseId, String workspaceId, int position, String name, String source,
            String fileKey, String mediaType, long sizeBytes, String status, boolean enabled, String error, int attempts,
            int chunks, int chunksDone, long tokens, long characters, String metadataJson, String batch,
            Instant createdAt, Instant updatedAt, Instant startedAt, Instant completedAt) {
    }

    /** A chunk as indexed; a child chunk names its parent. */
    @ProviderType
    record Segment(String id, String documentId, String knowledgeBaseId, String parentId, int position, String content,
            int tokens, boolean enabled, float[] vector, int hitCount) {
    }

    /** Document counts of a knowledge base. */
    @ProviderType
    record Counts(int documents, int indexed, long characters) {
    }

    KnowledgeBase create(KnowledgeBase base);

    Optional<KnowledgeBase> base(String workspaceId, String id);

    List<KnowledgeBase> bases(String workspaceId);

    /** Replaces the editable fields (name, description, process rule, retrieval model, metadata fields, dimensions). */
    Optional<KnowledgeBase> update(KnowledgeBase base);

    /** Deletes a knowledge base with its documents and chunks. */
    boolean delete(String workspaceId, String id);

    Counts counts(String workspaceId, String knowledgeBaseId);

    /** Adds a document, queued, at the end of its knowledge base. */
    Document add(Document document);

    Optional<Document> document(String workspaceId, String id);

    /** A page of a knowledge base's documents in their order, optionally only those whose name contains {@code keyword}. */
    List<Document> documents(String workspaceId, String knowledgeBaseId, String keyword, int offset, int limit);

    /** Documents of every knowledge base in the given statuses, oldest first. */
    List<Document> documentsIn(List<String> statuses, int limit);

    /**
     * Moves a document to a status when it is in one of {@code from} (so that two workers never take
     * the same one); true when it moved. Starting ({@code extracting}) counts an attempt.
     */
    boolean moveStatus(String id, List<String> from, String to, String error);

    /** Records progress: chunks found and embedded, tokens and characters. */
    void progress(String id, int chunks, int chunksDone, long tokens, long characters);

    /** Enables or disables a document. */
    boolean enable(String workspaceId, String id, boolean enabled);

    /** Replaces a document's metadata (a JSON object). */
    boolean metadata(String workspaceId, String id, String metadataJson);

    boolean deleteDocument(String workspaceId, String id);

    /**
     * Replaces every chunk of a document and marks it indexed, in one transaction: readers see the
     * old chunks or the new ones.
     */
    void indexed(String documentId, List<Segment> segments, long tokens, long characters);

    /** A document's chunks in order (parents and plain chunks first by position, children after their parent). */
    List<Segment> segments(String workspaceId, String documentId);

    Optional<Segment> segment(String workspaceId, String segmentId);

    /** Changes one chunk's text, vector and tokens, or its enabled flag. */
    boolean updateSegment(String workspaceId, Segment segment);

    /** Chunks by id, of one workspace, in no particular order. */
    List<Segment> segmentsById(String workspaceId, List<String> ids);

    /** Counts a retrieval hit for each chunk. */
    void hit(List<String> segmentIds);
}
