package dev.weft.rag.lucene.internal;

import dev.weft.spi.rag.ScoredChunk;
import dev.weft.spi.rag.SearchMode;
import dev.weft.spi.rag.SearchRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;

/**
 * The three searches over one snapshot of an index, each scoring in [0, 1].
 *
 * <ul>
 *   <li><b>Full text:</b> BM25 (Lucene's defaults, k1 = 1.2, b = 0.75) over the analyzed content,
 *       normalised by the query's best possible score ({@link FullTextQuery}).</li>
 *   <li><b>Semantic:</b> HNSW nearest neighbours ({@link KnnFloatVectorQuery}) of the unit-length
 *       query vector. Lucene scores {@code (1 + cosine) / 2}; the score reported is the cosine itself,
 *       {@code 2·s − 1}, with opposite directions clipped to 0. That is what Dify's vector stores
 *       report, so its thresholds keep their meaning (with Lucene's score an unrelated chunk, cosine
 *       0, would still score 0.5 and pass Dify's default threshold of 0.5), and in hybrid search the
 *       semantic side is not lifted by a floor of 0.5 that words could never outweigh. The metadata filter is given
 *       to the vector query, which searches among the matching chunks only (pre-filtering; Lucene
 *       switches to an exact search when few chunks match), so a filter never empties the top k.</li>
 *   <li><b>Hybrid:</b> both lists are fetched {@link #widened(int) wider} than {@code topK}; for every
 *       chunk in their union the score it lacks is computed exactly (a vector query or a BM25 query
 *       restricted to those chunks; a chunk without any query word scores 0 by words), and the
 *       chunks rank by {@code w · semantic + (1 − w) · fullText}.</li>
 * </ul>
 *
 * <p>The metadata filter applies before ranking in every mode, and {@code scoreThreshold} applies to
 * the final, normalised score.
 */
final class Searches {

    /** The largest topK served. */
    static final int MAX_TOP_K = 1000;

    private final String name;
    private final IndexSettings settings;
    private final Analyzer analyzer;

    Searches(String name, IndexSettings settings, Analyzer analyzer) {
        this.name = name;
        this.settings = settings;
        this.analyzer = analyzer;
    }

    /** Rejects a request this index cannot serve, with the reason. */
    void check(SearchRequest request) {
        if (request.topK() > MAX_TOP_K) {
            throw new IllegalArgumentException("topK is at most " + MAX_TOP_K + ", not " + request.topK());
        }
        if (request.mode() != SearchMode.FULL_TEXT) {
            if (!settings.hasVectors()) {
                throw new IllegalArgumentException("knowledge base " + name + " is keyword-only (economy: indexed "
                        + "without vectors), so it cannot serve " + request.mode() + " search; use FULL_TEXT, or "
                        + "re-index it with an embedding model");
            }
            Vectors.unit(request.queryVector(), settings.dimensions(), "the query vector");
        }
        MetadataFilters.toQuery(request.filter());
    }

    List<ScoredChunk> run(IndexSearcher searcher, SearchRequest request) throws IOException {
        Query filter = MetadataFilters.toQuery(request.filter());
        List<Hit> hits = switch (request.mode()) {
            case FULL_TEXT -> fullText(searcher, request.query(), request.topK(), filter);
            case SEMANTIC -> semantic(searcher, request.queryVector(), request.topK(), filter);
            case HYBRID -> hybrid(searcher, request, filter);
        };
        StoredFields stored = searcher.storedFields();
        List<ScoredChunk> results = new ArrayList<>(Math.min(hits.size(), request.topK()));
        for (Hit hit : hits) {
            if (results.size() == request.topK()) {
                break;
            }
            if (hit.score() >= request.scoreThreshold()) {
                results.add(ChunkDocuments.read(stored, hit.doc(), hit.score()));
            }
        }
        return results;
    }

    /** A Lucene document of this snapshot and its score in [0, 1]. */
    record Hit(int doc, double score) {
    }

    private List<Hit> fullText(IndexSearcher searcher, String text, int k, Query filter) throws IOException {
        FullTextQuery words = FullTextQuery.of(analyzer, ChunkDocuments.CONTENT, text);
        if (words.isEmpty()) {
            return List.of();
        }
        TopDocs top = searcher.search(filtered(words.query(), filter), k);
        double bound = words.bound(searcher);
        List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc scoreDoc : top.scoreDocs) {
            hits.add(new Hit(scoreDoc.doc, FullTextQuery.normalise(scoreDoc.score, bound)));
        }
        return hits;
    }

    private List<Hit> semantic(IndexSearcher searcher, float[] vector, int k, Query filter) throws IOException {
        float[] unit = Vectors.unit(vector, settings.dimensions(), "the query vector");
        TopDocs top = searcher.search(new KnnFloatVectorQuery(ChunkDocuments.VECTOR, unit, k, filter), k);
        List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc scoreDoc : top.scoreDocs) {
            hits.add(new Hit(scoreDoc.doc, cosine(scoreDoc.score)));
        }
        return hits;
    }

    /** The cosine similarity behind Lucene's dot-product score {@code (1 + cosine) / 2}, clipped to [0, 1]. */
    static double cosine(float luceneScore) {
        return Math.min(1, Math.max(0, 2.0 * luceneScore - 1));
    }

    /** How many candidates each side of a hybrid search contributes. */
    static int widened(int topK) {
        return Math.min(4 * MAX_TOP_K, Math.max(50, 4 * topK));
    }

    private List<Hit> hybrid(IndexSearcher searcher, SearchRequest request, Query filter) throws IOException {
        int wide = widened(request.topK());
        Map<Integer, double[]> union = new HashMap<>();
        for (Hit hit : semantic(searcher, request.queryVector(), wide, filter)) {
            union.computeIfAbsent(hit.doc(), doc -> new double[] {Double.NaN, Double.NaN})[0] = hit.score();
        }
        FullTextQuery words = FullTextQuery.of(analyzer, ChunkDocuments.CONTENT, request.query());
        double bound = words.isEmpty() ? 0 : words.bound(searcher);
        if (!words.isEmpty()) {
            for (ScoreDoc scoreDoc : searcher.search(filtered(words.query(), filter), wide).scoreDocs) {
                union.computeIfAbsent(scoreDoc.doc, doc -> new double[] {Double.NaN, Double.NaN})[1] =
                        FullTextQuery.normalise(scoreDoc.score, bound);
            }
        }
        completeSemantic(searcher, request.queryVector(), union);
        if (!words.isEmpty()) {
            completeFullText(searcher, words, bound, union);
        }
        double w = request.semanticWeight();
        List<Hit> fused = new ArrayList<>(union.size());
        union.forEach((doc, scores) -> {
            double text = Double.isNaN(scores[1]) ? 0 : scores[1];
            double meaning = Double.isNaN(scores[0]) ? 0 : scores[0];
            fused.add(new Hit(doc, w * meaning + (1 - w) * text));
        });
        fused.sort(Comparator.comparingDouble(Hit::score).reversed().thenComparingInt(Hit::doc));
        return fused;
    }

    /** Scores by meaning the chunks found only by words: an exact vector search among just those. */
    private void completeSemantic(IndexSearcher searcher, float[] vector, Map<Integer, double[]> union)
            throws IOException {
        List<Integer> missing = union.entrySet().stream().filter(e -> Double.isNaN(e.getValue()[0]))
                .map(Map.Entry::getKey).toList();
        if (missing.isEmpty()) {
            return;
        }
        for (Hit hit : semantic(searcher, vector, missing.size(), onlyChunks(searcher, missing))) {
            double[] scores = union.get(hit.doc());
            if (scores != null) {
                scores[0] = hit.score();
            }
        }
    }

    /** Scores by words the chunks found only by meaning: the BM25 query among just those. */
    private void completeFullText(IndexSearcher searcher, FullTextQuery words, double bound,
            Map<Integer, double[]> union) throws IOException {
        List<Integer> missing = union.entrySet().stream().filter(e -> Double.isNaN(e.getValue()[1]))
                .map(Map.Entry::getKey).toList();
        if (missing.isEmpty()) {
            return;
        }
        Query restricted = filtered(words.query(), onlyChunks(searcher, missing));
        for (ScoreDoc scoreDoc : searcher.search(restricted, missing.size()).scoreDocs) {
            double[] scores = union.get(scoreDoc.doc);
            if (scores != null) {
                scores[1] = FullTextQuery.normalise(scoreDoc.score, bound);
            }
        }
    }

    /** A filter matching the chunks of these documents of the snapshot, by their chunk ids. */
    private static Query onlyChunks(IndexSearcher searcher, List<Integer> docs) throws IOException {
        StoredFields stored = searcher.storedFields();
        List<BytesRef> ids = new ArrayList<>(docs.size());
        for (int doc : docs) {
            ids.add(new BytesRef(stored.document(doc, Set.of(ChunkDocuments.CHUNK_ID))
                    .get(ChunkDocuments.CHUNK_ID)));
        }
        return new TermInSetQuery(ChunkDocuments.CHUNK_ID, ids);
    }

    private static Query filtered(Query query, Query filter) {
        if (filter == null) {
            return query;
        }
        return new BooleanQuery.Builder().add(query, Occur.MUST).add(filter, Occur.FILTER).build();
    }
}
