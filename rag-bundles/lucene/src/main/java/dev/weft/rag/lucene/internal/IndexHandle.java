package dev.weft.rag.lucene.internal;

import dev.weft.spi.rag.IndexedChunk;
import dev.weft.spi.rag.KnowledgeIndex;
import dev.weft.spi.rag.ScoredChunk;
import dev.weft.spi.rag.SearchRequest;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@link LuceneIndexProvider#open} returns: a reference to the knowledge base's shared
 * {@link LuceneIndex}. A Lucene directory admits one writer, so every caller that opens the same
 * knowledge base shares one index; closing a handle releases it, and the last release closes the
 * index.
 */
final class IndexHandle implements KnowledgeIndex {

    private final LuceneIndexProvider.Shared shared;
    private final AtomicBoolean closed = new AtomicBoolean();

    IndexHandle(LuceneIndexProvider.Shared shared) {
        this.shared = shared;
    }

    @Override
    public void replaceDocument(String documentId, List<IndexedChunk> chunks) throws IOException {
        index().replaceDocument(documentId, chunks);
    }

    @Override
    public void deleteDocument(String documentId) throws IOException {
        index().deleteDocument(documentId);
    }

    @Override
    public List<ScoredChunk> search(SearchRequest request) throws IOException {
        return index().search(request);
    }

    /** The shared index, for tests. */
    LuceneIndex index() throws IOException {
        if (closed.get()) {
            throw new IOException("this knowledge index handle is closed");
        }
        return shared.index();
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            shared.release();
        }
    }
}
