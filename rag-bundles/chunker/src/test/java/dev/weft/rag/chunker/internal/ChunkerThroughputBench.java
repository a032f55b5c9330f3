package dev.weft.rag.chunker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spi.rag.Chunk;
import dev.weft.spi.rag.Chunker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Chunking throughput on BEIR SciFact (5,183 abstracts, 7.7 MB), with the cl100k counter. Off by
 * default; run with {@code mvn -o -q -f rag-bundles/chunker/pom.xml verify -Dweft.bench=true
 * -Dtest=ChunkerThroughputBench -Dsurefire.failIfNoSpecifiedTests=false}; the figures go to
 * {@code target/chunker-throughput.txt}. Each document is its title, a blank line and its text.
 */
@EnabledIfSystemProperty(named = "weft.bench", matches = "true")
class ChunkerThroughputBench {

    /** The corpus: -Dweft.bench.corpus, else SciFact in the shared folder beside the project (tests run in the module folder). */
    private static final Path CORPUS = Path.of(System.getProperty("weft.bench.corpus",
            "../../../shared/corpus/beir-scifact/corpus.jsonl"));

    @Test
    void scifact() throws IOException {
        List<String> documents = load(CORPUS);
        long chars = documents.stream().mapToLong(String::length).sum();
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "corpus %s: %d documents, %.1f MB of text (UTF-16 chars / 1e6)%n", CORPUS, documents.size(), chars / 1e6));
        Cl100kTokenCounter counter = new Cl100kTokenCounter();
        long t0 = System.nanoTime();
        long tokens = documents.stream().mapToLong(counter::count).sum();
        double countSeconds = (System.nanoTime() - t0) / 1e9;
        report.append(String.format(Locale.ROOT, "counting alone (first pass, includes loading cl100k): %d tokens in %.2f s%n",
                tokens, countSeconds));

        run(report, "automatic (\\n, 500, overlap 50)", new GeneralChunker(), Map.of(), documents, counter);
        run(report, "custom (\\n\\n, 128, overlap 20)", new GeneralChunker(), Map.of("mode", "custom", "rules",
                Map.of("segmentation", Map.of("separator", "\\n\\n", "max_tokens", 128, "chunk_overlap", 20))),
                documents, counter);
        run(report, "custom (\\n\\n, 64, overlap 16)", new GeneralChunker(), Map.of("mode", "custom", "rules",
                Map.of("segmentation", Map.of("separator", "\\n\\n", "max_tokens", 64, "chunk_overlap", 16))),
                documents, counter);
        run(report, "hierarchical (paragraph 1024 / children \\n 64)", new ParentChildChunker(), Map.of("rules",
                Map.of("subchunk_segmentation", Map.of("separator", "\\n", "max_tokens", 64))), documents, counter);
        t0 = System.nanoTime();
        documents.forEach(counter::count);
        report.append(String.format(Locale.ROOT, "counting alone (warm): %.2f s%n", (System.nanoTime() - t0) / 1e9));

        for (int pass = 0; pass < 2; pass++) {
            t0 = System.nanoTime();
            documents.forEach(document -> TextCleaner.clean(document, CleaningRules.DEFAULT));
        }
        report.append(String.format(Locale.ROOT, "cleaning alone (default rules, warm): %.2f s%n",
                (System.nanoTime() - t0) / 1e9));

        String blob = TestTexts.longWord(2_000_000, 1);
        Map<String, Object> big = Map.of("mode", "custom", "rules", Map.of("segmentation",
                Map.of("separator", "\\n\\n", "max_tokens", 4000, "chunk_overlap", 0)));
        t0 = System.nanoTime();
        int blobChunks = new GeneralChunker().chunk(blob, big, counter).size();
        report.append(String.format(Locale.ROOT, "one 2 MB word without blanks, 4000 tokens: %d chunks in %.2f s%n",
                blobChunks, (System.nanoTime() - t0) / 1e9));
        System.out.print(report);
        Files.writeString(Path.of("target", "chunker-throughput.txt"), report);
    }

    private static void run(StringBuilder report, String name, Chunker chunker, Map<String, Object> config,
            List<String> documents, Cl100kTokenCounter counter) {
        chunkAll(chunker, config, documents, counter); // warm-up
        long start = System.nanoTime();
        long[] counts = chunkAll(chunker, config, documents, counter);
        double seconds = (System.nanoTime() - start) / 1e9;
        long chars = documents.stream().mapToLong(String::length).sum();
        report.append(String.format(Locale.ROOT,
                "%-48s %6d chunks %7d children  %.2f s  %8.0f chunks/s (%8.0f incl. children)  %5.0f docs/s  %.2f MB/s%n",
                name, counts[0], counts[1], seconds, counts[0] / seconds, (counts[0] + counts[1]) / seconds,
                documents.size() / seconds, chars / 1e6 / seconds));
        assertThat(counts[0]).isGreaterThanOrEqualTo(documents.size());
    }

    private static long[] chunkAll(Chunker chunker, Map<String, Object> config, List<String> documents,
            Cl100kTokenCounter counter) {
        long chunks = 0;
        long children = 0;
        for (String document : documents) {
            List<Chunk> result = chunker.chunk(document, config, counter);
            chunks += result.size();
            for (Chunk chunk : result) {
                children += chunk.children().size();
            }
        }
        return new long[] {chunks, children};
    }

    private static List<String> load(Path corpus) throws IOException {
        List<String> documents = new ArrayList<>();
        for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                documents.add(field(line, "title") + "\n\n" + field(line, "text"));
            }
        }
        return documents;
    }

    /** The value of a top-level string member of a one-line JSON object (enough for BEIR's files). */
    static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":");
        if (at < 0) {
            return "";
        }
        int i = json.indexOf('"', at + name.length() + 3) + 1;
        StringBuilder out = new StringBuilder();
        while (i < json.length() && json.charAt(i) != '"') {
            char c = json.charAt(i++);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = json.charAt(i++);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(json.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }
}
