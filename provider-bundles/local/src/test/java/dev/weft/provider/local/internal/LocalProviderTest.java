package dev.weft.provider.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.spi.model.EmbeddingModel;
import dev.weft.spi.model.EmbeddingRequest;
import dev.weft.spi.model.EmbeddingResponse;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled model, in this JVM, offline: paraphrases land nearer each other than unrelated sentences. */
class LocalProviderTest {

    static LocalProvider provider;
    static EmbeddingModel model;

    @BeforeAll
    static void load() throws ModelException {
        provider = new LocalProvider();
        model = provider.embeddingModel(new ProviderConfig(null, null), "");
    }

    @AfterAll
    static void close() {
        provider.deactivate();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    @Test
    void paraphrasesRankAboveUnrelatedSentences() throws ModelException {
        EmbeddingResponse response = model.embed(new EmbeddingRequest(List.of(
                "The cat sat on the mat.",
                "A kitten was sitting on the rug.",
                "Quarterly revenue grew by eight percent.",
                "Sales for the quarter rose 8%.",
                "The mitochondria is the powerhouse of the cell."), EmbeddingRequest.Purpose.DOCUMENT));
        List<float[]> v = response.vectors();
        assertThat(response.dimensions()).isEqualTo(384);
        for (float[] vector : v) {
            assertThat(cosine(vector, vector)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        }
        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2))).isGreaterThan(0.6);
        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(4)));
        assertThat(cosine(v.get(2), v.get(3))).isGreaterThan(cosine(v.get(2), v.get(0))).isGreaterThan(cosine(v.get(2), v.get(4)));
        assertThat(response.usage().promptTokens()).isPositive();
    }

    @Test
    void aQueryFindsItsPassage() throws ModelException {
        float[] query = model.embed(new EmbeddingRequest(List.of("how do plants make energy from light"),
                EmbeddingRequest.Purpose.QUERY)).vectors().get(0);
        List<float[]> docs = model.embed(new EmbeddingRequest(List.of(
                "Photosynthesis converts light energy into chemical energy stored in glucose.",
                "The stock market closed higher on Friday.",
                "Football is played by two teams of eleven players."), EmbeddingRequest.Purpose.DOCUMENT)).vectors();
        assertThat(cosine(query, docs.get(0))).isGreaterThan(cosine(query, docs.get(1))).isGreaterThan(0.0);
        assertThat(cosine(query, docs.get(0))).isGreaterThan(cosine(query, docs.get(2)));
    }

    @Test
    void batchesGiveTheSameVectorsAsSingleTextsAndLongTextsAreTruncated() throws ModelException {
        String a = "Weft runs Dify app files.";
        String b = "A much longer sentence, so that the batch needs padding for the shorter one to fit beside it.";
        List<float[]> together = model.embed(new EmbeddingRequest(List.of(a, b), null)).vectors();
        float[] alone = model.embed(new EmbeddingRequest(List.of(a), null)).vectors().get(0);
        // the int8 model quantizes activations per tensor, padding included: a padded batch moves vectors a hair
        assertThat(cosine(together.get(0), alone)).isGreaterThan(0.99);
        String huge = "word ".repeat(5000);
        assertThat(model.embed(new EmbeddingRequest(List.of(huge), null)).vectors().get(0)).hasSize(384);
    }

    @Test
    void theTokenizerMatchesBert() throws Exception {
        try (InputStream json = LocalProvider.class.getClassLoader().getResourceAsStream("models/bge-small-en-v1.5-q-tokenizer.json")) {
            WordPiece tokenizer = WordPiece.read(json);
            // ids from the model's vocabulary: [CLS] hello , world ! [SEP]; "unaffable" -> una ##ffa ##ble (greedy longest match)
            assertThat(tokenizer.encode("Hello, WORLD!", 512)).containsExactly(101, 7592, 1010, 2088, 999, 102);
            assertThat(tokenizer.encode("unaffable", 512)).containsExactly(101, 14477, 20961, 3468, 102);
            assertThat(tokenizer.encode("Café naïve", 512)).containsExactly(101, 7668, 15743, 102);
            assertThat(tokenizer.encode("a ".repeat(1000), 512)).hasSize(512);
        }
    }

    @Test
    void onlyItsOwnModelIsServed() {
        assertThatThrownBy(() -> provider.embeddingModel(new ProviderConfig(null, null), "text-embedding-3-small"))
                .isInstanceOf(NonRetriableModelException.ModelNotFound.class);
        assertThatThrownBy(() -> provider.chatModel(new ProviderConfig(null, null), "x"))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class);
    }
}
