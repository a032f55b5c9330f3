package dev.weft.spi.rag;

import java.io.IOException;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The chunks of one knowledge base, searchable. Safe for concurrent use.
 */
@ConsumerType
public interface KnowledgeIndex extends AutoCloseable {

    /**
     * Replaces every chunk of a document, atomically: searches see either the old chunks or the new
     * ones, never a mix, and a crash leaves the old ones. Durable when it returns.
     */
    void replaceDocument(String documentId, List<IndexedChunk> chunks) throws IOException;

    /** Removes every chunk of a document, atomically and durably. */
    void deleteDocument(String documentId) throws IOException;

    /** Finds the best chunks, best first. */
    List<ScoredChunk> search(SearchRequest request) throws IOException;

    @Override
    void close() throws IOException;
}
