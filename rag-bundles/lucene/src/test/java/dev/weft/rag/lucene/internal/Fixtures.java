package dev.weft.rag.lucene.internal;

import dev.weft.spi.rag.IndexSpec;
import dev.weft.spi.rag.IndexedChunk;
import dev.weft.spi.rag.MetadataFilter;
import dev.weft.spi.rag.ScoredChunk;
import dev.weft.spi.rag.SearchMode;
import dev.weft.spi.rag.SearchRequest;
import java.util.List;
import java.util.Map;

/** Small helpers shared by the tests. */
final class Fixtures {

    private Fixtures() {
    }

    static IndexSpec spec(String kb, int dimensions, String language) {
        return new IndexSpec("ws1", kb, dimensions, language == null ? Map.of() : Map.of("language", language));
    }

    static IndexedChunk chunk(String id, int position, String content, float[] vector, Map<String, Object> metadata) {
        return new IndexedChunk(id, position, content, vector, metadata);
    }

    static SearchRequest fullText(String query, int topK) {
        return new SearchRequest(query, null, SearchMode.FULL_TEXT, topK, 0, 0, null);
    }

    static SearchRequest fullText(String query, int topK, MetadataFilter filter) {
        return new SearchRequest(query, null, SearchMode.FULL_TEXT, topK, 0, 0, filter);
    }

    static SearchRequest semantic(float[] vector, int topK, MetadataFilter filter) {
        return new SearchRequest("", vector, SearchMode.SEMANTIC, topK, 0, 0, filter);
    }

    static List<String> ids(List<ScoredChunk> hits) {
        return hits.stream().map(ScoredChunk::chunkId).toList();
    }

    static float[] v(float... components) {
        return components;
    }
}
