package dev.weft.rag.lucene.internal;

import static dev.weft.rag.lucene.internal.Fixtures.chunk;
import static dev.weft.rag.lucene.internal.Fixtures.fullText;
import static dev.weft.rag.lucene.internal.Fixtures.ids;
import static dev.weft.rag.lucene.internal.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.spi.rag.IndexedChunk;
import dev.weft.spi.rag.KnowledgeIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-knowledge-base language: what each finds, and that it is kept with the index. */
class LanguageTest {

    @TempDir
    Path root;

    private static final List<IndexedChunk> MIXED = List.of(
            chunk("en", 0, "The engineers were running several experiments on batteries.", null, Map.of()),
            chunk("zh", 1, "机器学习是人工智能的一个分支，研究计算机如何从数据中学习。", null, Map.of()),
            chunk("ja", 2, "東京都は日本の首都であり、多くの観光客が訪れます。", null, Map.of()),
            chunk("de", 3, "Die Straßenbahn fährt jeden Morgen durch die Altstadt.", null, Map.of()),
            chunk("fr", 4, "Le café de la gare est fermé le dimanche.", null, Map.of()),
            chunk("ko", 5, "서울은 대한민국의 수도입니다.", null, Map.of()),
            chunk("wide", 6, "ＡＢＣ Ｃｏｒｐ reported ｶﾀｶﾅ sales.", null, Map.of()));

    @Test
    void autoFindsEnglishChineseJapaneseAndEuropeanTextTogether() throws IOException {
        LuceneIndexProvider provider = new LuceneIndexProvider(root, true);
        try (KnowledgeIndex index = provider.open(spec("auto", 0, null))) {
            index.replaceDocument("mixed", MIXED);

            assertThat(top(index, "battery experiment")).isEqualTo("en");
            assertThat(top(index, "人工智能")).isEqualTo("zh");
            assertThat(top(index, "计算机学习")).isEqualTo("zh");
            assertThat(top(index, "日本の首都")).isEqualTo("ja");
            assertThat(top(index, "観光客")).isEqualTo("ja");
            assertThat(top(index, "straßenbahn altstadt")).isEqualTo("de");
            assertThat(top(index, "cafe dimanche")).isEqualTo("fr");
            assertThat(top(index, "서울은")).isEqualTo("ko");
            assertThat(top(index, "abc corp カタカナ")).isEqualTo("wide");
        } finally {
            provider.deactivate();
        }
    }

    @Test
    void eachLanguageSettingFindsItsOwnText() throws IOException {
        LuceneIndexProvider provider = new LuceneIndexProvider(root, true);
        try (KnowledgeIndex en = provider.open(spec("en", 0, "en"));
                KnowledgeIndex zh = provider.open(spec("zh", 0, "zh"));
                KnowledgeIndex ja = provider.open(spec("ja", 0, "ja"));
                KnowledgeIndex cjk = provider.open(spec("cjk", 0, "CJK"))) {
            for (KnowledgeIndex index : List.of(en, zh, ja, cjk)) {
                index.replaceDocument("mixed", MIXED);
            }
            // Porter stemming: "run" finds "running", "engineer" finds "engineers"
            assertThat(top(en, "run engineer")).isEqualTo("en");
            // English stop words carry nothing
            assertThat(en.search(fullText("the was on", 5))).isEmpty();
            // smartcn segments words: 人工智能 and 数据 are words of the Chinese chunk
            assertThat(top(zh, "人工智能 数据")).isEqualTo("zh");
            // kuromoji: 観光客 (tourists) and 首都 (capital) are morphemes of the Japanese chunk
            assertThat(top(ja, "首都の観光客")).isEqualTo("ja");
            assertThat(top(cjk, "首都")).isEqualTo("ja");
            assertThat(top(cjk, "学习")).isEqualTo("zh");
        } finally {
            provider.deactivate();
        }
    }

    @Test
    void theLanguageIsStoredWithTheIndexAndUsedWhenReopened() throws IOException {
        LuceneIndexProvider provider = new LuceneIndexProvider(root, true);
        try (KnowledgeIndex index = provider.open(spec("kept", 0, "en"))) {
            index.replaceDocument("d", List.of(chunk("c", 0, "Connections were connected.", null, Map.of())));
        }
        provider.deactivate();
        assertThat(Files.readString(root.resolve("ws1/kept/weft-index.json"))).contains("\"language\" : \"en\"");

        LuceneIndexProvider reopened = new LuceneIndexProvider(root, true);
        try (KnowledgeIndex index = reopened.open(spec("kept", 0, null))) {
            // only Porter stemming makes "connecting" meet "connections"
            assertThat(ids(index.search(fullText("connecting", 5)))).containsExactly("c");
            index.replaceDocument("d2", List.of(chunk("c2", 0, "More connections.", null, Map.of())));
        }
        assertThatThrownBy(() -> reopened.open(spec("kept", 0, "zh")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("was indexed with language 'en', not 'zh'")
                .hasMessageContaining("re-indexing");
        assertThatThrownBy(() -> reopened.open(spec("kept", 384, "en")))
                .isInstanceOf(IOException.class).hasMessageContaining("no vectors (economy), not 384-dimension");
        reopened.deactivate();
    }

    @Test
    void unknownLanguagesAreRejectedWithTheChoices() {
        LuceneIndexProvider provider = new LuceneIndexProvider(root, true);
        assertThatThrownBy(() -> provider.open(spec("xx", 0, "klingon")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown index language 'klingon'; use one of auto, en, zh, ja, cjk");
        assertThat(root.resolve("ws1/xx")).doesNotExist();
    }

    private static String top(KnowledgeIndex index, String query) throws IOException {
        List<String> found = ids(index.search(fullText(query, 3)));
        assertThat(found).as("hits for " + query).isNotEmpty();
        return found.get(0);
    }
}
