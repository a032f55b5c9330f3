package dev.weft.rag.lucene.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermStatistics;
import org.apache.lucene.search.similarities.Similarity;
import org.apache.lucene.util.BytesRef;

/**
 * A user's words as a BM25 query, and the bound used to bring its scores into [0, 1].
 *
 * <p>The words are analyzed with the index's analyzer and become a disjunction of term queries (a
 * word repeated in the query weighs that many times, as BM25's query-term frequency says). No query
 * syntax is interpreted: users type questions, not Lucene queries.
 *
 * <p><b>Normalisation.</b> Lucene's BM25 scores a term at most its idf (times its boost): the term
 * frequency part {@code tf / (tf + k1·(1 − b + b·len/avgLen))} tends to 1. So the best score any chunk
 * could reach for this query is the sum of its terms' idf, and {@code score / bound} says what share
 * of the ideal match a chunk reaches: an absolute measure in [0, 1] that a threshold can be applied
 * to, unlike dividing by the best hit (the best hit would always score 1, however poor) or a
 * saturation {@code s / (s + k)} (whose {@code k} would have to suit every query length). Terms that
 * occur in no chunk are left out of the bound: no chunk can match them, and a typo in the query
 * should not sink every score.
 */
final class FullTextQuery {

    private final Map<BytesRef, Integer> terms;
    private final String field;

    private FullTextQuery(String field, Map<BytesRef, Integer> terms) {
        this.field = field;
        this.terms = terms;
    }

    /** Analyzes the query text; at most {@link IndexSearcher#getMaxClauseCount()} distinct terms are kept. */
    static FullTextQuery of(Analyzer analyzer, String field, String text) {
        Map<BytesRef, Integer> terms = new LinkedHashMap<>();
        int limit = IndexSearcher.getMaxClauseCount();
        try (TokenStream stream = analyzer.tokenStream(field, text)) {
            TermToBytesRefAttribute term = stream.addAttribute(TermToBytesRefAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                BytesRef bytes = BytesRef.deepCopyOf(term.getBytesRef());
                if (terms.containsKey(bytes) || terms.size() < limit) {
                    terms.merge(bytes, 1, Integer::sum);
                }
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("the query could not be analyzed", e);
        }
        return new FullTextQuery(field, terms);
    }

    /** Whether the text had no searchable word (only punctuation or stop words). */
    boolean isEmpty() {
        return terms.isEmpty();
    }

    /** The BM25 query. */
    Query query() {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        terms.forEach((bytes, count) -> {
            Query term = new TermQuery(new Term(field, bytes));
            any.add(count == 1 ? term : new BoostQuery(term, count), Occur.SHOULD);
        });
        return any.build();
    }

    /** The highest score any chunk could reach, with the searcher's statistics; 0 if no term occurs. */
    double bound(IndexSearcher searcher) throws IOException {
        CollectionStatistics collection = searcher.collectionStatistics(field);
        if (collection == null) {
            return 0;
        }
        Similarity similarity = searcher.getSimilarity();
        double bound = 0;
        for (Map.Entry<BytesRef, Integer> entry : terms.entrySet()) {
            Term term = new Term(field, entry.getKey());
            TermStates states = TermStates.build(searcher, term, true);
            if (states.docFreq() == 0) {
                continue;
            }
            TermStatistics statistics = searcher.termStatistics(term, states.docFreq(), states.totalTermFreq());
            // an unbounded frequency in the shortest field reaches the term's ceiling
            bound += similarity.scorer(entry.getValue(), collection, statistics).score(Float.MAX_VALUE, 1L);
        }
        return bound;
    }

    /** A raw BM25 score brought into [0, 1] by the bound. */
    static double normalise(double score, double bound) {
        return bound <= 0 ? 0 : Math.min(1, Math.max(0, score / bound));
    }
}
