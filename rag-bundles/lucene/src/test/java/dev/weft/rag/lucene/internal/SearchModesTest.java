package dev.weft.rag.lucene.internal;

import static dev.weft.rag.lucene.internal.Fixtures.chunk;
import static dev.weft.rag.lucene.internal.Fixtures.fullText;
import static dev.weft.rag.lucene.internal.Fixtures.ids;
import static dev.weft.rag.lucene.internal.Fixtures.semantic;
import static dev.weft.rag.lucene.internal.Fixtures.spec;
import static dev.weft.rag.lucene.internal.Fixtures.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.weft.spi.rag.IndexedChunk;
import dev.weft.spi.rag.KnowledgeIndex;
import dev.weft.spi.rag.MetadataFilter;
import dev.weft.spi.rag.ScoredChunk;
import dev.weft.spi.rag.SearchMode;
import dev.weft.spi.rag.SearchRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full-text, semantic and hybrid search on a small corpus with hand-made 3-dimension vectors: the
 * axes stand for "fruit", "vehicles" and "weather".
 */
class SearchModesTest {

    @TempDir
    Path root;

    private LuceneIndexProvider provider;
    private KnowledgeIndex index;

    @BeforeEach
    void corpus() throws IOException {
        provider = new LuceneIndexProvider(root, true);
        index = provider.open(spec("kb", 3, "en"));
        index.replaceDocument("fruit", List.of(
                chunk("apple", 0, "Apple pie is baked with apples, sugar and cinnamon.", v(1, 0, 0),
                        Map.of("topic", "food")),
                chunk("banana", 1, "Bananas are a yellow fruit rich in potassium.", v(0.9f, 0.1f, 0),
                        Map.of("topic", "food"))));
        index.replaceDocument("cars", List.of(
                chunk("engine", 0, "The car engine burns fuel; electric cars use a battery.", v(0, 1, 0),
                        Map.of("topic", "vehicles")),
                chunk("truck", 1, "A truck carries apples from the farm to the market.", v(0.3f, 0.9f, 0),
                        Map.of("topic", "vehicles"))));
        index.replaceDocument("sky", List.of(
                chunk("rain", 0, "Rain falls when clouds are heavy with water.", v(0, 0, 1),
                        Map.of("topic", "weather")),
                chunk("storm", 1, "A storm brings wind, rain and thunder.", v(0, 0.2f, 0.95f),
                        Map.of("topic", "weather"))));
    }

    @AfterEach
    void close() throws IOException {
        index.close();
        provider.deactivate();
    }

    @Test
    void fullTextRanksByBm25AndScoresWithinZeroAndOne() throws IOException {
        List<ScoredChunk> hits = index.search(fullText("apple pie", 10));

        assertThat(ids(hits)).containsExactly("apple", "truck");
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
        assertThat(hits).allSatisfy(hit -> assertThat(hit.score()).isBetween(0.0, 1.0));
        ScoredChunk best = hits.get(0);
        assertThat(best.documentId()).isEqualTo("fruit");
        assertThat(best.content()).startsWith("Apple pie");
        assertThat(best.metadata()).isEqualTo(Map.of("topic", "food"));
    }

    @Test
    void fullTextScoreIsTheShareOfTheBestPossibleMatch() throws IOException {
        // "thunder" occurs once, in the shortest-but-one chunk: a real but imperfect match
        double thunder = index.search(fullText("thunder", 10)).get(0).score();
        assertThat(thunder).isBetween(0.3, 0.9);
        // adding a word no chunk contains does not change the score (it is left out of the bound)
        assertThat(index.search(fullText("thunder zyzzyva", 10)).get(0).score()).isCloseTo(thunder, within(1e-9));
        // a query matching one of its two words scores lower than a query matching both
        double both = index.search(fullText("storm thunder", 10)).get(0).score();
        double half = index.search(fullText("storm potassium", 10)).stream()
                .filter(hit -> hit.chunkId().equals("storm")).findFirst().orElseThrow().score();
        assertThat(half).isLessThan(both);
    }

    @Test
    void fullTextWithoutSearchableWordsFindsNothing() throws IOException {
        assertThat(index.search(fullText("the and of", 10))).isEmpty();
        assertThat(index.search(fullText("?!", 10))).isEmpty();
    }

    @Test
    void scoreThresholdAppliesToTheNormalisedScore() throws IOException {
        List<ScoredChunk> all = index.search(fullText("apple pie", 10));
        double cut = (all.get(0).score() + all.get(1).score()) / 2;

        List<ScoredChunk> kept = index.search(new SearchRequest("apple pie", null, SearchMode.FULL_TEXT, 10, cut, 0,
                null));

        assertThat(ids(kept)).containsExactly("apple");
    }

    @Test
    void semanticFindsTheNearestVectorsScoredByCosine() throws IOException {
        List<ScoredChunk> hits = index.search(semantic(v(0, 0, 2), 3, null));

        assertThat(ids(hits).subList(0, 2)).containsExactly("rain", "storm");
        // the query is normalised: the same direction scores 1, an orthogonal one 0
        assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-6));
        double cosine = 0.95 / Math.sqrt(0.2 * 0.2 + 0.95 * 0.95);
        assertThat(hits.get(1).score()).isCloseTo(cosine, within(1e-5));
        assertThat(hits.get(2).score()).isCloseTo(0.0, within(1e-6));
    }

    @Test
    void semanticIsPrefilteredByMetadata() throws IOException {
        MetadataFilter food = new MetadataFilter(MetadataFilter.Logic.AND,
                List.of(new MetadataFilter.Condition("topic", MetadataFilter.Operator.IS, "food")));

        // the nearest vectors are weather chunks, yet the filter still yields the top 2 foods
        List<ScoredChunk> hits = index.search(semantic(v(0, 0, 1), 2, food));

        assertThat(ids(hits)).containsExactlyInAnyOrder("apple", "banana");
    }

    @Test
    void hybridFusesTheNormalisedScoresOverTheUnion() throws IOException {
        float[] vehicles = v(0, 1, 0);
        Map<String, Double> bySemantic = scores(index.search(semantic(vehicles, 6, null)));
        Map<String, Double> byWords = scores(index.search(fullText("apples", 6)));

        List<ScoredChunk> hybrid = index.search(new SearchRequest("apples", vehicles, SearchMode.HYBRID, 6, 0, 0.7,
                null));

        assertThat(hybrid).hasSize(6);
        for (ScoredChunk hit : hybrid) {
            double expected = 0.7 * bySemantic.get(hit.chunkId()) + 0.3 * byWords.getOrDefault(hit.chunkId(), 0.0);
            assertThat(hit.score()).as(hit.chunkId()).isCloseTo(expected, within(1e-6));
        }
        // "truck" is both about vehicles and mentions apples: first; "apple" (words only) beats "storm"
        assertThat(hybrid.get(0).chunkId()).isEqualTo("truck");
        assertThat(ids(hybrid).indexOf("apple")).isLessThan(ids(hybrid).indexOf("rain"));
    }

    @Test
    void hybridWithWeightOneOrZeroIsOneSideAlone() throws IOException {
        float[] fruit = v(1, 0, 0);
        List<ScoredChunk> meaning = index.search(new SearchRequest("storm", fruit, SearchMode.HYBRID, 2, 0, 1, null));
        List<ScoredChunk> words = index.search(new SearchRequest("storm", fruit, SearchMode.HYBRID, 1, 0, 0, null));

        assertThat(ids(meaning)).containsExactly("apple", "banana");
        assertThat(ids(words)).containsExactly("storm");
        assertThat(words.get(0).score()).isCloseTo(index.search(fullText("storm", 1)).get(0).score(), within(1e-9));
    }

    @Test
    void hybridFindsChunksThatOnlyTheWordsRankHigh() throws IOException {
        // 300 noise chunks right beside the query vector, without the word: the semantic top list is all noise
        Random random = new Random(7);
        List<IndexedChunk> noise = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            noise.add(chunk("n" + i, i, "filler text number " + i, v(1, 0.05f * random.nextFloat(), 0), Map.of()));
        }
        index.replaceDocument("noise", noise);
        double byWords = index.search(fullText("thunder", 1)).get(0).score();

        List<ScoredChunk> hits = index.search(new SearchRequest("thunder", v(1, 0, 0), SearchMode.HYBRID, 3, 0, 0.2,
                null));

        // "storm" is orthogonal to the query (semantic 0, computed exactly), and wins on its word
        assertThat(hits.get(0).chunkId()).isEqualTo("storm");
        assertThat(hits.get(0).score()).isCloseTo(0.8 * byWords, within(1e-6));
        assertThat(hits.get(1).score()).isCloseTo(0.2 * 1.0, within(0.01));
    }

    @Test
    void requestsTheIndexCannotServeFailClearly() {
        assertThatThrownBy(() -> index.search(semantic(v(1, 0), 3, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 dimensions")
                .hasMessageContaining("3-dimension");
        assertThatThrownBy(() -> index.search(semantic(v(0, 0, 0), 3, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("all zeros");
        assertThatThrownBy(() -> index.search(fullText("x", 5000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topK is at most 1000");
        assertThatThrownBy(() -> index.replaceDocument("d", List.of(chunk("c", 0, "text", null, Map.of()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no vector");
        assertThatThrownBy(() -> index.replaceDocument("d", List.of(chunk("c", 0, "a", v(1, 0, 0), Map.of()),
                chunk("c", 1, "b", v(1, 0, 0), Map.of()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appears twice");
    }

    @Test
    void economyIndexSearchesByWordsOnly() throws IOException {
        try (KnowledgeIndex economy = provider.open(spec("economy", 0, null))) {
            economy.replaceDocument("d1", List.of(chunk("c1", 0, "Keyword search needs no embedding model.", null,
                    Map.of())));

            assertThat(ids(economy.search(fullText("embedding", 3)))).containsExactly("c1");
            assertThatThrownBy(() -> economy.search(semantic(v(1, 0, 0), 3, null)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("keyword-only (economy").hasMessageContaining("use FULL_TEXT");
            assertThatThrownBy(() -> economy.search(new SearchRequest("x", v(1), SearchMode.HYBRID, 3, 0, 0.5, null)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HYBRID");
            assertThatThrownBy(() -> economy.replaceDocument("d2", List.of(chunk("c2", 0, "x", v(1, 0, 0), Map.of()))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyword-only");
        }
    }

    @Test
    void vectorsLargerThanLucenesDefaultLimitAreAccepted() throws IOException {
        int dimensions = 3072;
        float[] first = new float[dimensions];
        float[] second = new float[dimensions];
        first[0] = 1;
        second[dimensions - 1] = 1;
        try (KnowledgeIndex wide = provider.open(spec("wide", dimensions, null))) {
            wide.replaceDocument("d", List.of(chunk("a", 0, "first", first, Map.of()),
                    chunk("b", 1, "second", second, Map.of())));

            assertThat(ids(wide.search(semantic(second, 1, null)))).containsExactly("b");
        }
    }

    @Test
    void replaceAndDeleteChangeWhatIsFound() throws IOException {
        index.replaceDocument("fruit", List.of(chunk("cherry", 0, "Cherries are small red fruit.", v(1, 0, 0),
                Map.of())));
        assertThat(ids(index.search(fullText("apple pie bananas cherries", 10)))).containsExactly("cherry", "truck");

        index.deleteDocument("fruit");
        assertThat(ids(index.search(fullText("cherries", 10)))).isEmpty();

        index.replaceDocument("cars", List.of());
        assertThat(ids(index.search(fullText("truck engine", 10)))).isEmpty();
    }

    private static Map<String, Double> scores(List<ScoredChunk> hits) {
        return hits.stream().collect(Collectors.toMap(ScoredChunk::chunkId, ScoredChunk::score,
                (a, b) -> a, java.util.LinkedHashMap::new));
    }
}
