package dev.weft.rag.lucene.internal;

import dev.weft.spi.rag.IndexSpec;
import dev.weft.spi.rag.IndexedChunk;
import dev.weft.spi.rag.ScoredChunk;
import dev.weft.spi.rag.SearchMode;
import dev.weft.spi.rag.SearchRequest;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.FSDirectory;

/**
 * One knowledge base's Lucene index: a writer, the searchers, and the group commit between them.
 * Shared by every {@link IndexHandle} open on the same knowledge base.
 *
 * <p><b>Writes.</b> A document's chunks are one block of Lucene documents, replaced with
 * {@link IndexWriter#updateDocuments(Term, Iterable)} on the document-id term: Lucene applies the
 * delete and the additions together, so no reader sees a mix. The call returns when a commit
 * covers it ({@link GroupCommitter}), so it is durable: a crash, even {@code kill -9}, leaves the
 * index at its last commit point, which either has the whole update or none of it.
 *
 * <p><b>Reads.</b> Searchers come from a {@link SearcherManager} over the <em>committed</em> index
 * (not a near-real-time reader of the writer), refreshed after each commit before the writers
 * return. So a search sees a write once it is durable, never a write a crash could still undo, and
 * searches run concurrently with writes on their own point-in-time snapshot.
 */
final class LuceneIndex implements Closeable {

    private final String name;
    private final IndexSettings settings;
    private final Analyzer analyzer;
    private final FSDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final GroupCommitter committer;
    private final boolean groupCommit;
    private final Searches searches;
    private final AtomicLong commits = new AtomicLong();

    private LuceneIndex(String name, IndexSettings settings, FSDirectory directory, Analyzer analyzer,
            IndexWriter writer, boolean groupCommit) throws IOException {
        this.name = name;
        this.settings = settings;
        this.directory = directory;
        this.analyzer = analyzer;
        this.writer = writer;
        this.groupCommit = groupCommit;
        this.searchers = new SearcherManager(directory, null);
        this.committer = new GroupCommitter(this::commitAndRefresh);
        this.searches = new Searches(name, settings, analyzer);
    }

    /**
     * Opens the index in a directory, creating it (and storing its settings) when there is none.
     *
     * @param groupCommit false commits once per write (only for measuring what group commit saves)
     * @throws IOException when the index cannot be opened, or when the spec asks for another
     *     language or vector size than the index was created with
     */
    static LuceneIndex open(Path path, IndexSpec spec, boolean groupCommit) throws IOException {
        String name = spec.workspaceId() + "/" + spec.knowledgeBaseId();
        IndexSettings requested = IndexSettings.requested(spec.dimensions(), spec.settings());
        Files.createDirectories(path);
        IndexSettings settings = IndexSettings.read(path);
        if (settings == null) {
            // written before the first commit: an index never exists without its settings
            requested.write(path);
            settings = requested;
        } else {
            settings.checkReopenedWith(spec.dimensions(), spec.settings(), name);
        }
        FSDirectory directory = FSDirectory.open(path);
        Analyzer analyzer = settings.language().newAnalyzer();
        IndexWriter writer = null;
        try {
            IndexWriterConfig config = new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setCodec(new WeftCodec())
                    .setRAMBufferSizeMB(32);
            writer = new IndexWriter(directory, config);
            if (!DirectoryReader.indexExists(directory)) {
                writer.commit();
            }
            return new LuceneIndex(name, settings, directory, analyzer, writer, groupCommit);
        } catch (IOException | RuntimeException e) {
            closeQuietly(writer, e);
            closeQuietly(analyzer, e);
            closeQuietly(directory, e);
            throw e;
        }
    }

    IndexSettings settings() {
        return settings;
    }

    /** Replaces a document's chunks atomically; returns when durable. */
    void replaceDocument(String documentId, List<IndexedChunk> chunks) throws IOException {
        ChunkDocuments.checkId(documentId, "a document id");
        List<Document> documents = new ArrayList<>(chunks.size());
        Set<String> ids = new HashSet<>();
        for (IndexedChunk chunk : chunks) {
            if (!ids.add(chunk.chunkId())) {
                throw new IllegalArgumentException("chunk id " + chunk.chunkId() + " appears twice in document "
                        + documentId);
            }
            documents.add(ChunkDocuments.toDocument(documentId, chunk, settings.dimensions()));
        }
        Term term = new Term(ChunkDocuments.DOCUMENT_ID, documentId);
        write(() -> documents.isEmpty() ? writer.deleteDocuments(term) : writer.updateDocuments(term, documents));
    }

    /** Removes a document's chunks atomically; returns when durable. */
    void deleteDocument(String documentId) throws IOException {
        ChunkDocuments.checkId(documentId, "a document id");
        Term term = new Term(ChunkDocuments.DOCUMENT_ID, documentId);
        write(() -> writer.deleteDocuments(term));
    }

    /** Searches the last committed state. */
    List<ScoredChunk> search(SearchRequest request) throws IOException {
        searches.check(request);
        IndexSearcher searcher;
        try {
            searcher = searchers.acquire();
        } catch (AlreadyClosedException e) {
            throw closed(e);
        }
        try {
            return searches.run(searcher, request);
        } finally {
            searchers.release(searcher);
        }
    }

    /** How many chunks the committed index holds. */
    int chunkCount() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return searcher.getIndexReader().numDocs();
        } finally {
            searchers.release(searcher);
        }
    }

    /** How many commits ran since the index was opened. */
    long commits() {
        return commits.get();
    }

    /** The writer, for tests that need uncommitted changes on disk. */
    IndexWriter writerForTests() {
        return writer;
    }

    /** Whether searches understand {@link SearchMode#SEMANTIC}. */
    boolean hasVectors() {
        return settings.hasVectors();
    }

    /** Applies an update and returns when a commit covers it. */
    private void write(GroupCommitter.Update update) throws IOException {
        try {
            if (groupCommit) {
                committer.write(update);
            } else {
                update.run();
                commitAndRefresh();
            }
        } catch (AlreadyClosedException e) {
            throw closed(e);
        }
    }

    private long commitAndRefresh() throws IOException {
        long committed = writer.commit();
        commits.incrementAndGet();
        searchers.maybeRefreshBlocking();
        return committed;
    }

    private IOException closed(AlreadyClosedException cause) {
        return new IOException("knowledge index " + name + " is closed", cause);
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Closeable closeable : new Closeable[] {searchers, writer, analyzer, directory}) {
            try {
                closeable.close();
            } catch (IOException | AlreadyClosedException e) {
                if (failure == null) {
                    failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void closeQuietly(Closeable closeable, Exception primary) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException | RuntimeException e) {
                primary.addSuppressed(e);
            }
        }
    }
}
