package dev.weft.rag.lucene.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.spi.rag.IndexedChunk;
import dev.weft.spi.rag.ScoredChunk;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * One Lucene document per chunk: how a chunk is written, and how a hit is read back.
 *
 * <ul>
 *   <li>{@value #CHUNK_ID}, {@value #DOCUMENT_ID}: stored keywords; the document id is the term that
 *       {@code replaceDocument} and {@code deleteDocument} act on;</li>
 *   <li>{@value #POSITION}: stored;</li>
 *   <li>{@value #CONTENT}: stored, analyzed with the index's language, searched with BM25;</li>
 *   <li>{@value #VECTOR}: the unit-length embedding, HNSW-indexed for dot product (none in an
 *       economy index);</li>
 *   <li>{@value #METADATA}: the metadata as stored JSON, plus the filter fields of
 *       {@link MetadataFields}.</li>
 * </ul>
 */
final class ChunkDocuments {

    static final String CHUNK_ID = "id";
    static final String DOCUMENT_ID = "doc";
    static final String POSITION = "position";
    static final String CONTENT = "content";
    static final String VECTOR = "vector";
    static final String METADATA = "metadata";

    /** The longest chunk text accepted, in characters. */
    static final int MAX_CONTENT_CHARS = 1_000_000;
    /** The longest chunk or document id. */
    static final int MAX_ID_LENGTH = 512;

    private static final Set<String> STORED = Set.of(CHUNK_ID, DOCUMENT_ID, POSITION, CONTENT, METADATA);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private ChunkDocuments() {
    }

    static void checkId(String id, String what) {
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(what + " must be 1 to " + MAX_ID_LENGTH + " characters");
        }
    }

    /**
     * The Lucene document of a chunk.
     *
     * @param dimensions the index's vector size; 0 when it keeps no vectors
     * @throws IllegalArgumentException when the chunk does not suit the index
     */
    static Document toDocument(String documentId, IndexedChunk chunk, int dimensions) {
        checkId(chunk.chunkId(), "a chunk id");
        if (chunk.content().length() > MAX_CONTENT_CHARS) {
            throw new IllegalArgumentException("chunk " + chunk.chunkId() + " has " + chunk.content().length()
                    + " characters; the most is " + MAX_CONTENT_CHARS);
        }
        Document document = new Document();
        document.add(new StringField(CHUNK_ID, chunk.chunkId(), Field.Store.YES));
        document.add(new StringField(DOCUMENT_ID, documentId, Field.Store.YES));
        document.add(new StoredField(POSITION, chunk.position()));
        document.add(new TextField(CONTENT, chunk.content(), Field.Store.YES));
        if (dimensions > 0) {
            if (chunk.vector() == null) {
                throw new IllegalArgumentException("chunk " + chunk.chunkId() + " has no vector, but this index "
                        + "searches by meaning and needs one of " + dimensions + " dimensions");
            }
            document.add(new KnnFloatVectorField(VECTOR,
                    Vectors.unit(chunk.vector(), dimensions, "the vector of chunk " + chunk.chunkId()),
                    VectorSimilarityFunction.DOT_PRODUCT));
        } else if (chunk.vector() != null) {
            throw new IllegalArgumentException("chunk " + chunk.chunkId() + " has a vector, but this index is "
                    + "keyword-only (economy, 0 dimensions)");
        }
        try {
            document.add(new StoredField(METADATA, JSON.writeValueAsString(chunk.metadata())));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the metadata of chunk " + chunk.chunkId() + " is not JSON", e);
        }
        MetadataFields.index(chunk.metadata(), document);
        return document;
    }

    /** Reads a hit back. */
    static ScoredChunk read(StoredFields stored, int doc, double score) throws IOException {
        Document document = stored.document(doc, STORED);
        String metadata = document.get(METADATA);
        return new ScoredChunk(document.get(CHUNK_ID), document.get(DOCUMENT_ID), document.get(CONTENT), score,
                metadata == null ? Map.of() : JSON.readValue(metadata, OBJECT));
    }
}
