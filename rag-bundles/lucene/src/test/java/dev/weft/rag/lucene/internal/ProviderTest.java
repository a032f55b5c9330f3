package dev.weft.rag.lucene.internal;

import static dev.weft.rag.lucene.internal.Fixtures.chunk;
import static dev.weft.rag.lucene.internal.Fixtures.fullText;
import static dev.weft.rag.lucene.internal.Fixtures.ids;
import static dev.weft.rag.lucene.internal.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.spi.rag.IndexSpec;
import dev.weft.spi.rag.KnowledgeIndex;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/** Where indexes live, sharing one index between handles, and dropping. */
class ProviderTest {

    @TempDir
    Path root;

    @Test
    void theRootDefaultsToWeftDataAndCanBeConfigured() {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> method.getName().equals("getProperty") && "weft.data".equals(args[0])
                        ? root.toString() : null);

        assertThat(new LuceneIndexProvider(context, config("")).root()).isEqualTo(root.resolve("knowledge"));
        assertThat(new LuceneIndexProvider(context, config(root.resolve("elsewhere").toString())).root())
                .isEqualTo(root.resolve("elsewhere"));
    }

    @Test
    void describesItselfAsLuceneWithTheLanguageSetting() {
        LuceneIndexProvider provider = new LuceneIndexProvider(root, true);
        assertThat(provider.descriptor().id()).isEqualTo("lucene");
        assertThat(provider.descriptor().configSchema()).extractingByKey("properties").asString()
                .contains("language").contains("auto").contains("cjk");
    }

    @Test
    void handlesOnOneKnowledgeBaseShareItsIndex() throws IOException {
        LuceneIndexProvider provider = new LuceneIndexProvider(root, true);
        KnowledgeIndex first = provider.open(spec("shared", 0, null));
        KnowledgeIndex second = provider.open(spec("shared", 0, null));
        first.replaceDocument("d", List.of(chunk("c", 0, "shared words", null, Map.of())));
        assertThat(ids(second.search(fullText("words", 5)))).containsExactly("c");

        first.close();
        first.close();
        assertThatThrownBy(() -> first.search(fullText("words", 5))).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
        assertThat(ids(second.search(fullText("words", 5)))).containsExactly("c");
        second.close();

        try (KnowledgeIndex third = provider.open(spec("shared", 0, null))) {
            assertThat(ids(third.search(fullText("words", 5)))).containsExactly("c");
        }
        provider.deactivate();
    }

    @Test
    void dropDeletesTheIndexAndEndsItsHandles() throws IOException {
        LuceneIndexProvider provider = new LuceneIndexProvider(root, true);
        IndexSpec spec = spec("dropped", 0, null);
        KnowledgeIndex index = provider.open(spec);
        index.replaceDocument("d", List.of(chunk("c", 0, "soon gone", null, Map.of())));
        assertThat(root.resolve("ws1/dropped")).isDirectory();

        provider.drop(spec);

        assertThat(root.resolve("ws1/dropped")).doesNotExist();
        assertThatThrownBy(() -> index.search(fullText("gone", 5))).isInstanceOf(IOException.class)
                .hasMessageContaining("dropped");
        index.close();
        try (KnowledgeIndex fresh = provider.open(spec)) {
            assertThat(fresh.search(fullText("gone", 5))).isEmpty();
        }
        provider.drop(spec("never-opened", 0, null));
        provider.deactivate();
    }

    @Test
    void idsThatCannotNameAFolderAreRejected() {
        LuceneIndexProvider provider = new LuceneIndexProvider(root, true);
        for (String bad : List.of("..", "../x", "a/b", ".hidden", "", "x".repeat(129), "a\\b")) {
            assertThatThrownBy(() -> provider.open(new IndexSpec("ws", bad, 0, Map.of())))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot name a folder");
        }
        assertThatThrownBy(() -> provider.drop(new IndexSpec("..", "kb", 0, Map.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static LuceneIndexProvider.Config config(String root) {
        return new LuceneIndexProvider.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LuceneIndexProvider.Config.class;
            }

            @Override
            public String root() {
                return root;
            }
        };
    }
}
