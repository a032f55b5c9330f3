package dev.weft.rag.chunker.internal;

import static dev.weft.rag.chunker.internal.GeneralChunkerTest.CL100K;
import static dev.weft.rag.chunker.internal.GeneralChunkerTest.assertCountsTrueAndAtMost;
import static dev.weft.rag.chunker.internal.GeneralChunkerTest.assertNumberedFromZero;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.spi.rag.Chunk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParentChildChunkerTest {

    private final ParentChildChunker chunker = new ParentChildChunker();

    private static Map<String, Object> hierarchical(String parentMode, int parentMax, int childMax) {
        return Map.of("mode", "hierarchical", "rules", Map.of(
                "parent_mode", parentMode,
                "segmentation", Map.of("separator", "\\n\\n", "max_tokens", parentMax),
                "subchunk_segmentation", Map.of("separator", "\\n", "max_tokens", childMax, "chunk_overlap", 0)));
    }

    @Test
    void paragraphsBecomeParentsAndLinesTheirChildren() {
        String text = "Title of part one\nFirst line of one.\nSecond line of one.\n\n"
                + "Part two\nOnly line of two.\n\n\n\nPart three alone";
        List<Chunk> parents = chunker.chunk(text, Map.of(), CL100K);
        assertThat(parents).extracting(Chunk::content).containsExactly(
                "Title of part one\nFirst line of one.\nSecond line of one.", "Part two\nOnly line of two.",
                "Part three alone");
        assertNumberedFromZero(parents);
        assertThat(parents.get(0).children()).extracting(Chunk::content)
                .containsExactly("Title of part one", "First line of one.", "Second line of one.");
        assertThat(parents.get(1).children()).extracting(Chunk::content).containsExactly("Part two", "Only line of two.");
        assertThat(parents.get(2).children()).extracting(Chunk::content).containsExactly("Part three alone");
        for (Chunk parent : parents) {
            assertNumberedFromZero(parent.children());
            assertThat(parent.tokens()).isEqualTo(CL100K.count(parent.content()));
            assertThat(parent.children()).allSatisfy(child -> {
                assertThat(parent.content()).contains(child.content());
                assertThat(child.children()).isEmpty();
            });
        }
    }

    @Test
    void longParagraphsAreCutToTheParentLimitAndChildrenToTheirs() {
        String text = TestTexts.englishParagraphs(3, 60, 21); // ~900 tokens each, one line each
        List<Chunk> parents = chunker.chunk(text, hierarchical("paragraph", 400, 60), CL100K);
        assertCountsTrueAndAtMost(parents, 400);
        assertThat(parents).hasSizeBetween(6, 12);
        assertNumberedFromZero(parents);
        assertThat(parents.stream().mapToInt(parent -> parent.children().size()).sum()).isGreaterThan(parents.size() * 3);
        for (Chunk parent : parents) {
            assertCountsTrueAndAtMost(parent.children(), 60);
            assertThat(parent.children()).isNotEmpty();
            assertNumberedFromZero(parent.children());
            // without child overlap, the children are the parent, in order
            assertThat(String.join(" ", parent.children().stream().map(Chunk::content).toList()))
                    .isEqualTo(parent.content());
        }
    }

    @Test
    void fullDocIsOneParent() {
        String text = TestTexts.englishParagraphs(4, 10, 5);
        List<Chunk> parents = chunker.chunk(text, hierarchical("full-doc", 1024, 400), CL100K);
        assertThat(parents).hasSize(1);
        Chunk parent = parents.getFirst();
        assertThat(parent.index()).isZero();
        assertThat(parent.content()).isEqualTo(text);
        assertThat(parent.children()).hasSize(4); // the child separator is "\n"; each paragraph fits
        assertCountsTrueAndAtMost(parent.children(), 400);
    }

    @Test
    void fullDocIsCappedAtTenThousandTokens() {
        String text = TestTexts.englishParagraphs(40, 40, 13); // ~24,000 tokens
        assertThat(CL100K.count(text)).isGreaterThan(20_000);
        List<Chunk> parents = chunker.chunk(text, Map.of("rules", Map.of("parent_mode", "full-doc")), CL100K);
        assertThat(parents).hasSize(1);
        Chunk parent = parents.getFirst();
        assertThat(parent.tokens()).isEqualTo(CL100K.count(parent.content())).isBetween(9_900, 10_000);
        assertThat(text).startsWith(parent.content());
        assertThat(Character.isWhitespace(text.charAt(parent.content().length()))).isTrue(); // cut after a word, not inside one
        assertCountsTrueAndAtMost(parent.children(), 512);
        assertThat(parent.children()).hasSizeGreaterThan(15);
    }

    @Test
    void fullDocCapHoldsForADocumentTooLongToCountWhole() {
        String text = TestTexts.englishParagraphs(80, 60, 19); // ~430,000 characters
        assertThat(text.length()).isGreaterThan(10_000 * 32);
        Chunk parent = chunker.chunk(text, hierarchical("full-doc", 1024, 512), CL100K).getFirst();
        assertThat(parent.tokens()).isEqualTo(CL100K.count(parent.content())).isBetween(9_900, 10_000);
        assertThat(text).startsWith(parent.content());
    }

    @Test
    void fullDocOfManyCharactersButFewTokensIsKeptWhole() {
        String text = "=".repeat(400_000); // cl100k: 6,250 tokens of 64 "=" each
        List<Chunk> parents = chunker.chunk(text, hierarchical("full-doc", 1024, 512), CL100K);
        assertThat(parents.getFirst().content()).isEqualTo(text);
        assertThat(parents.getFirst().tokens()).isEqualTo(6_250);
        assertCountsTrueAndAtMost(parents.getFirst().children(), 512);
    }

    @Test
    void chineseParentsAndChildren() {
        String text = TestTexts.chinese(40, 1) + "\n\n" + TestTexts.chinese(40, 2);
        List<Chunk> parents = chunker.chunk(text, Map.of("rules", Map.of(
                "subchunk_segmentation", Map.of("separator", "。", "max_tokens", 50))), CL100K);
        assertThat(parents).hasSize(2);
        for (Chunk parent : parents) {
            assertCountsTrueAndAtMost(parent.children(), 50);
            assertThat(parent.children()).hasSizeGreaterThan(3);
        }
    }

    @Test
    void emptyInputGivesNoParents() {
        assertThat(chunker.chunk("", Map.of(), CL100K)).isEmpty();
        assertThat(chunker.chunk("  \n\n ", hierarchical("full-doc", 500, 100), CL100K)).isEmpty();
    }

    @Test
    void invalidConfigurationIsRefused() {
        assertThatThrownBy(() -> chunker.chunk("x", Map.of("mode", "custom"), CL100K))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mode must be \"hierarchical\"").hasMessageContaining("text_model");
        assertThatThrownBy(() -> chunker.chunk("x", hierarchical("chapter", 500, 100), CL100K))
                .hasMessage("rules.parent_mode must be \"paragraph\" or \"full-doc\", got \"chapter\"");
        assertThatThrownBy(() -> chunker.chunk("x", hierarchical("paragraph", 200, 300), CL100K))
                .hasMessageContaining("rules.subchunk_segmentation.max_tokens (300) must not exceed");
        assertThatThrownBy(() -> chunker.chunk("x", hierarchical("paragraph", 200, 20), CL100K))
                .hasMessage("rules.subchunk_segmentation.max_tokens must be between 50 and 4000, got 20");
        // in full-doc mode the child limit is bounded by 4000 only
        assertThat(chunker.chunk("x", hierarchical("full-doc", 200, 300), CL100K)).hasSize(1);
    }

    @Test
    void descriptor() {
        assertThat(chunker.descriptor().id()).isEqualTo("hierarchical_model");
        assertThat(chunker.descriptor().configSchema().toString())
                .contains("subchunk_segmentation").contains("full-doc").contains("default=512");
    }
}
