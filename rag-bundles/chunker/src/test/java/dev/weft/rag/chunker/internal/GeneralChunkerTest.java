package dev.weft.rag.chunker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.spi.rag.Chunk;
import dev.weft.spi.rag.TokenCounter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeneralChunkerTest {

    static final TokenCounter CL100K = new Cl100kTokenCounter();
    private final GeneralChunker chunker = new GeneralChunker();

    static Map<String, Object> custom(String separator, int maxTokens, int overlap) {
        return Map.of("mode", "custom", "rules", Map.of(
                "segmentation", Map.of("separator", separator, "max_tokens", maxTokens, "chunk_overlap", overlap)));
    }

    /** The longest start of {@code next} that {@code previous} ends with. */
    static String shared(String previous, String next) {
        for (int k = Math.min(previous.length(), next.length()); k > 0; k--) {
            if (previous.endsWith(next.substring(0, k))) {
                return next.substring(0, k);
            }
        }
        return "";
    }

    static void assertNumberedFromZero(List<Chunk> chunks) {
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(chunks.get(i).index()).isEqualTo(i);
        }
    }

    static void assertCountsTrueAndAtMost(List<Chunk> chunks, int max) {
        for (Chunk chunk : chunks) {
            assertThat(chunk.tokens()).as("tokens of %s", chunk.content()).isEqualTo(CL100K.count(chunk.content()))
                    .isLessThanOrEqualTo(max);
            assertThat(chunk.content()).isNotBlank().isEqualTo(chunk.content().strip());
        }
    }

    @Test
    void emptyOrBlankInputGivesNoChunks() {
        assertThat(chunker.chunk("", Map.of(), CL100K)).isEmpty();
        assertThat(chunker.chunk(" \n\n\t \n", Map.of(), CL100K)).isEmpty();
        assertThat(chunker.chunk("\n\n\n\n", custom("\\n\\n", 100, 10), CL100K)).isEmpty();
    }

    @Test
    void automaticModeUsesDifyDefaults() {
        // separator "\n": each line is its own chunk; rules are ignored in automatic mode, as in Dify
        String text = "First line about cells.\nSecond line about   proteins.\n\n\n\nThird line.";
        List<Chunk> chunks = chunker.chunk(text, Map.of("mode", "automatic",
                "rules", Map.of("segmentation", Map.of("separator", "###"))), CL100K);
        assertThat(chunks).extracting(Chunk::content)
                .containsExactly("First line about cells.", "Second line about proteins.", "Third line.");
        assertNumberedFromZero(chunks);
        assertThat(chunker.chunk(text, Map.of(), CL100K)).isEqualTo(chunks);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.children()).isEmpty());
    }

    @Test
    void automaticModeLimitIs500TokensWithOverlap() {
        String paragraph = TestTexts.englishSentences(150, 7); // well over 500 tokens, one line
        List<Chunk> chunks = chunker.chunk(paragraph, null, CL100K);
        assertThat(chunks).hasSizeGreaterThan(2);
        assertCountsTrueAndAtMost(chunks, 500);
        assertThat(chunks.getFirst().tokens()).isGreaterThan(400);
        for (int i = 1; i < chunks.size(); i++) {
            int overlap = CL100K.count(shared(chunks.get(i - 1).content(), chunks.get(i).content()).strip());
            assertThat(overlap).isBetween(35, 50);
        }
    }

    @Test
    void blocksBetweenSeparatorsAreChunksOfTheirOwn() {
        String text = "Question one?\nAnswer one.***Question two?\nAnswer two.*** ***Question three?";
        List<Chunk> chunks = chunker.chunk(text, custom("***", 200, 20), CL100K);
        assertThat(chunks).extracting(Chunk::content).containsExactly(
                "Question one?\nAnswer one.", "Question two?\nAnswer two.", "Question three?");
    }

    @Test
    void escapedSeparatorIsRead() {
        String text = "alpha beta\ngamma\n\ndelta";
        assertThat(chunker.chunk(text, custom("\\n\\n", 100, 0), CL100K)).extracting(Chunk::content)
                .containsExactly("alpha beta\ngamma", "delta");
        assertThat(chunker.chunk(text, custom("\\n", 100, 0), CL100K)).extracting(Chunk::content)
                .containsExactly("alpha beta", "gamma", "delta");
        assertThat(chunker.chunk("a\tb", custom("\\t", 100, 0), CL100K)).extracting(Chunk::content)
                .containsExactly("a", "b");
    }

    @Test
    void customDefaultsAreBlankLineAnd1024Tokens() {
        String text = TestTexts.englishParagraphs(3, 100, 3); // paragraphs of ~1,500 tokens
        List<Chunk> chunks = chunker.chunk(text, Map.of("mode", "custom"), CL100K);
        assertCountsTrueAndAtMost(chunks, 1024);
        assertThat(chunks).hasSizeBetween(5, 7);
        assertNumberedFromZero(chunks);
    }

    @Test
    void noChunkIsOverTheLimitAndCutsFallOnSentenceEnds() {
        String text = TestTexts.englishParagraphs(4, 40, 11);
        List<Chunk> chunks = chunker.chunk(text, custom("\\n\\n", 100, 0), CL100K);
        assertCountsTrueAndAtMost(chunks, 100);
        assertThat(chunks).hasSizeGreaterThan(8);
        // sentences are 8-20 words, well under 100 tokens: the sentence level is as fine as cutting goes
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.content()).endsWith(".").matches("^[A-Z].*"));
        assertNumberedFromZero(chunks);
    }

    @Test
    void withoutOverlapTheChunksHoldTheTextExactlyOnce() {
        String text = TestTexts.englishParagraphs(5, 30, 5);
        List<Chunk> chunks = chunker.chunk(text, custom("\\n\\n", 60, 0), CL100K);
        List<String> words = new ArrayList<>();
        chunks.forEach(chunk -> words.addAll(Arrays.asList(chunk.content().split("\\s+"))));
        assertThat(words).containsExactly(text.split("\\s+"));
    }

    @Test
    void consecutiveChunksShareAboutTheOverlapAndNeverMore() {
        String text = TestTexts.englishSentences(200, 42);
        for (int overlap : new int[] {10, 30, 60}) {
            List<Chunk> chunks = chunker.chunk(text, custom("\\n\\n", 150, overlap), CL100K);
            assertCountsTrueAndAtMost(chunks, 150);
            assertThat(chunks).hasSizeGreaterThan(5);
            for (int i = 1; i < chunks.size(); i++) {
                String common = shared(chunks.get(i - 1).content(), chunks.get(i).content());
                int tokens = CL100K.count(common.strip());
                assertThat(tokens).as("overlap %d between chunks %d and %d", overlap, i - 1, i)
                        .isLessThanOrEqualTo(overlap).isGreaterThanOrEqualTo(overlap * 2 / 3);
                // the overlap starts at a word
                assertThat(chunks.get(i - 1).content()).endsWith(" " + common);
            }
        }
    }

    @Test
    void overlapNeverCrossesASeparator() {
        String text = TestTexts.englishSentences(15, 1) + "\n\n" + TestTexts.englishSentences(15, 2);
        List<Chunk> chunks = chunker.chunk(text, custom("\\n\\n", 400, 50), CL100K);
        assertThat(chunks).hasSize(2);
        assertThat(shared(chunks.get(0).content(), chunks.get(1).content())).isEmpty();
    }

    @Test
    void aWordLongerThanTheLimitIsCutByCharacters() {
        String word = TestTexts.longWord(3000, 9);
        String text = "Before the word. " + word + " after the word.";
        List<Chunk> chunks = chunker.chunk(text, custom("\\n\\n", 50, 0), CL100K);
        assertCountsTrueAndAtMost(chunks, 50);
        assertThat(String.join("", chunks.stream().map(Chunk::content).toList()).replace(" ", ""))
                .isEqualTo(text.replace(" ", ""));
        assertThat(chunks.stream().filter(chunk -> word.contains(chunk.content())).count()).isGreaterThan(10);
    }

    @Test
    void chineseWithoutSpacesIsCutAtSentenceEnds() {
        String text = TestTexts.chinese(80, 4);
        List<Chunk> chunks = chunker.chunk(text, custom("\\n\\n", 60, 0), CL100K);
        assertCountsTrueAndAtMost(chunks, 60);
        assertThat(chunks).hasSizeGreaterThan(5);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.content()).matches("(?s).*[。！？]$"));
        assertThat(String.join("", chunks.stream().map(Chunk::content).toList())).isEqualTo(text);
    }

    @Test
    void chineseOverlapStartsAtACharacterAndStaysWithinTheBudget() {
        String text = TestTexts.chinese(80, 6);
        List<Chunk> chunks = chunker.chunk(text, custom("\\n\\n", 80, 20), CL100K);
        assertCountsTrueAndAtMost(chunks, 80);
        for (int i = 1; i < chunks.size(); i++) {
            int tokens = CL100K.count(shared(chunks.get(i - 1).content(), chunks.get(i).content()));
            assertThat(tokens).isBetween(12, 20);
        }
    }

    @Test
    void japaneseWithoutSpacesIsCutAtSentenceEnds() {
        String text = TestTexts.japanese(60, 8);
        List<Chunk> chunks = chunker.chunk(text, custom("\\n\\n", 70, 0), CL100K);
        assertCountsTrueAndAtMost(chunks, 70);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.content()).endsWith("。"));
        assertThat(String.join("", chunks.stream().map(Chunk::content).toList())).isEqualTo(text);
    }

    @Test
    void chineseWithoutAnyPunctuationIsCutByCharacters() {
        String text = TestTexts.chinese(40, 2).replaceAll("[。！？]", "");
        List<Chunk> chunks = chunker.chunk(text, custom("\\n\\n", 50, 0), CL100K);
        assertCountsTrueAndAtMost(chunks, 50);
        assertThat(chunks).hasSizeGreaterThan(5);
        assertThat(String.join("", chunks.stream().map(Chunk::content).toList())).isEqualTo(text);
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(chunk -> assertThat(chunk.tokens()).isGreaterThan(40));
    }

    @Test
    void cleaningRulesRunBeforeChunking() {
        String text = "Mail me at someone@example.org or see https://example.org/page?x=1 now.\n\n\n\n"
                + "Spaced     out\t\ttext and ![figure](https://example.org/fig.png) here.";
        Map<String, Object> both = Map.of("mode", "custom", "rules", Map.of(
                "pre_processing_rules", List.of(Map.of("id", "remove_extra_spaces", "enabled", true),
                        Map.of("id", "remove_urls_emails", "enabled", true)),
                "segmentation", Map.of("separator", "\\n\\n", "max_tokens", 100, "chunk_overlap", 0)));
        assertThat(chunker.chunk(text, both, CL100K)).extracting(Chunk::content).containsExactly(
                "Mail me at or see now.", "Spaced out text and ![figure](https://example.org/fig.png) here.");

        Map<String, Object> none = Map.of("mode", "custom", "rules", Map.of(
                "pre_processing_rules", List.of(Map.of("id", "remove_extra_spaces", "enabled", false)),
                "segmentation", Map.of("separator", "\\n\\n", "max_tokens", 100, "chunk_overlap", 0)));
        assertThat(chunker.chunk(text, none, CL100K)).extracting(Chunk::content).containsExactly(
                "Mail me at someone@example.org or see https://example.org/page?x=1 now.",
                "Spaced     out\t\ttext and ![figure](https://example.org/fig.png) here.");
    }

    @Test
    void theCounterGivenIsTheOneUsed() {
        TokenCounter words = text -> text.isBlank() ? 0 : text.strip().split("\\s+").length;
        String text = TestTexts.englishSentences(40, 3);
        List<Chunk> chunks = chunker.chunk(text, custom("", 50, 10), words);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.tokens())
                .isEqualTo(words.count(chunk.content())).isLessThanOrEqualTo(50));
        assertThat(chunks.getFirst().tokens()).isGreaterThan(35);
    }

    @Test
    void aCounterWhoseSumsUndercountStillHoldsTheLimit() {
        // floor(a/4) + floor(b/4) <= floor((a+b)/4): the units' counts added up are too low, so
        // guesses overshoot and the cut is found by the real counts
        TokenCounter quarterChars = text -> text.length() / 4;
        String text = TestTexts.englishSentences(120, 17).replace(". ", " ");
        for (int max : new int[] {50, 120, 333}) {
            List<Chunk> chunks = chunker.chunk(text, custom("", max, 0), quarterChars);
            assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.tokens())
                    .isEqualTo(quarterChars.count(chunk.content())).isLessThanOrEqualTo(max));
            assertThat(chunks.subList(0, chunks.size() - 1))
                    .allSatisfy(chunk -> assertThat(chunk.tokens()).isGreaterThanOrEqualTo(max * 9 / 10));
            List<String> words = new ArrayList<>();
            chunks.forEach(chunk -> words.addAll(Arrays.asList(chunk.content().split("\\s+"))));
            assertThat(words).containsExactly(text.split("\\s+"));
        }
    }

    @Test
    void invalidConfigurationIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> chunker.chunk("x", Map.of("mode", "smart"), CL100K))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mode must be \"automatic\" or \"custom\"");
        assertThatThrownBy(() -> chunker.chunk("x", Map.of("mode", "hierarchical"), CL100K))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hierarchical_model");
        assertThatThrownBy(() -> chunker.chunk("x", custom("\\n", 10, 0), CL100K))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rules.segmentation.max_tokens must be between 50 and 4000, got 10");
        assertThatThrownBy(() -> chunker.chunk("x", custom("\\n", 4001, 0), CL100K))
                .hasMessageContaining("between 50 and 4000");
        assertThatThrownBy(() -> chunker.chunk("x", custom("\\n", 100, 100), CL100K))
                .hasMessage("rules.segmentation.chunk_overlap must be at least 0 and smaller than max_tokens (100), got 100");
        assertThatThrownBy(() -> chunker.chunk("x", Map.of("mode", "custom", "rules", Map.of("segmentation",
                Map.of("max_tokens", "500"))), CL100K))
                .hasMessage("rules.segmentation.max_tokens must be a whole number, got text \"500\"");
        assertThatThrownBy(() -> chunker.chunk("x", Map.of("mode", "custom", "rules", Map.of("segmentation",
                Map.of("max_token", 500))), CL100K))
                .hasMessageContaining("unknown setting rules.segmentation.max_token")
                .hasMessageContaining("chunk_overlap, max_tokens, separator");
        assertThatThrownBy(() -> chunker.chunk("x", Map.of("mode", "custom", "rules", Map.of("pre_processing_rules",
                List.of(Map.of("id", "remove_emojis", "enabled", true)))), CL100K))
                .hasMessageContaining("rules.pre_processing_rules[0].id \"remove_emojis\" is not a cleaning rule");
        assertThatThrownBy(() -> chunker.chunk("x", Map.of("mode", "custom", "rules", "fast"), CL100K))
                .hasMessage("rules must be an object, got text \"fast\"");
        assertThatThrownBy(() -> chunker.chunk("x", Map.of("process_rule", Map.of()), CL100K))
                .hasMessageContaining("unknown setting process_rule");
        assertThatThrownBy(() -> chunker.chunk("x", custom("-".repeat(101), 100, 0), CL100K))
                .hasMessageContaining("longer than 100 characters");
    }

    @Test
    void wholeJsonNumbersAreAccepted() {
        Map<String, Object> config = Map.of("mode", "custom", "rules", Map.of(
                "segmentation", Map.of("separator", "\\n", "max_tokens", 100.0, "chunk_overlap", 10L)));
        assertThat(chunker.chunk("a\nb", config, CL100K)).hasSize(2);
        assertThatThrownBy(() -> chunker.chunk("a", Map.of("mode", "custom", "rules", Map.of(
                "segmentation", Map.of("max_tokens", 100.5))), CL100K)).hasMessageContaining("whole number");
    }

    @Test
    void descriptorCarriesTheSchema() {
        assertThat(chunker.descriptor().id()).isEqualTo("text_model");
        assertThat(chunker.descriptor().configSchema()).containsEntry("type", "object");
        @SuppressWarnings("unchecked")
        Map<String, Object> segmentation = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                ((Map<String, Object>) chunker.descriptor().configSchema().get("properties")).get("rules"))
                .get("properties")).get("segmentation");
        assertThat(segmentation.toString()).contains("max_tokens").contains("default=1024").contains("default=\\n\\n");
    }
}
