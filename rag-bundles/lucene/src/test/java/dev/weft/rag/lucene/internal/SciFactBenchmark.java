package dev.weft.rag.lucene.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.spi.rag.IndexSpec;
import dev.weft.spi.rag.IndexedChunk;
import dev.weft.spi.rag.KnowledgeIndex;
import dev.weft.spi.rag.ScoredChunk;
import dev.weft.spi.rag.SearchMode;
import dev.weft.spi.rag.SearchRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Full-text quality on BEIR SciFact (5,183 abstracts, 300 test queries): indexes title + text in an
 * economy index (no vectors) with the {@code auto} and {@code en} languages and prints nDCG@10 as
 * BEIR computes it (binary gains, log2 discount, ideal ranking from the qrels). BM25 references:
 * 0.665 (BEIR, Elasticsearch) to 0.679 (Anserini, Porter).
 *
 * <p>Not part of the normal test phase: run with
 * {@code mvn -o -f rag-bundles/lucene/pom.xml test -Dtest=SciFactBenchmark -Dweft.bench.scifact=../../../shared/corpus/beir-scifact},
 * or call {@link #main} with the corpus folder.
 */
class SciFactBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void fullTextNdcgAt10() throws Exception {
        String corpus = System.getProperty("weft.bench.scifact");
        assumeTrue(corpus != null && !corpus.isBlank(), "set -Dweft.bench.scifact=<folder> to run");
        main(new String[] {corpus});
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: SciFactBenchmark <folder in BEIR layout>");
        }
        Path folder = Path.of(args[0]);
        Map<String, String> documents = readCorpus(folder.resolve("corpus.jsonl"));
        Map<String, String> queries = readQueries(folder.resolve("queries.jsonl"));
        Map<String, Map<String, Integer>> qrels = readQrels(folder.resolve("qrels/test.tsv"));
        Path root = Files.createTempDirectory("scifact");
        LuceneIndexProvider provider = new LuceneIndexProvider(root, true);
        try {
            for (String language : List.of("auto", "en")) {
                try (KnowledgeIndex index = provider.open(new IndexSpec("bench", "scifact-" + language, 0,
                        Map.of("language", language)))) {
                    long started = System.nanoTime();
                    index(index, documents);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    started = System.nanoTime();
                    double ndcg = ndcgAt10(index, queries, qrels);
                    double searchMillis = (System.nanoTime() - started) / 1e6 / qrels.size();
                    System.out.printf("SciFact FULL_TEXT language=%-4s nDCG@10=%.4f  (%d docs indexed in %.1f s, "
                            + "%d queries, %.2f ms/query)%n", language, ndcg, documents.size(), seconds, qrels.size(),
                            searchMillis);
                }
            }
        } finally {
            provider.deactivate();
            try (var files = Files.walk(root)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One document per abstract, written by 4 threads so that group commit batches them. */
    private static void index(KnowledgeIndex index, Map<String, String> documents) throws Exception {
        try (ExecutorService writers = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (Map.Entry<String, String> document : documents.entrySet()) {
                done.add(writers.submit(() -> {
                    index.replaceDocument(document.getKey(), List.of(new IndexedChunk(document.getKey(), 0,
                            document.getValue(), null, Map.of())));
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
    }

    private static double ndcgAt10(KnowledgeIndex index, Map<String, String> queries,
            Map<String, Map<String, Integer>> qrels) throws IOException {
        double total = 0;
        for (Map.Entry<String, Map<String, Integer>> judged : qrels.entrySet()) {
            List<ScoredChunk> hits = index.search(new SearchRequest(queries.get(judged.getKey()), null,
                    SearchMode.FULL_TEXT, 10, 0, 0, null));
            double dcg = 0;
            for (int rank = 0; rank < hits.size(); rank++) {
                int gain = judged.getValue().getOrDefault(hits.get(rank).documentId(), 0);
                dcg += gain / log2(rank + 2);
            }
            List<Integer> ideal = judged.getValue().values().stream().sorted(java.util.Comparator.reverseOrder())
                    .limit(10).toList();
            double idcg = 0;
            for (int rank = 0; rank < ideal.size(); rank++) {
                idcg += ideal.get(rank) / log2(rank + 2);
            }
            total += idcg == 0 ? 0 : dcg / idcg;
        }
        return total / qrels.size();
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static Map<String, String> readCorpus(Path file) throws IOException {
        Map<String, String> documents = new LinkedHashMap<>();
        try (BufferedReader lines = Files.newBufferedReader(file)) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode node = JSON.readTree(line);
                documents.put(node.get("_id").asText(), node.path("title").asText("") + "\n" + node.path("text").asText(""));
            }
        }
        return documents;
    }

    private static Map<String, String> readQueries(Path file) throws IOException {
        Map<String, String> queries = new HashMap<>();
        try (BufferedReader lines = Files.newBufferedReader(file)) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode node = JSON.readTree(line);
                queries.put(node.get("_id").asText(), node.get("text").asText());
            }
        }
        return queries;
    }

    private static Map<String, Map<String, Integer>> readQrels(Path file) throws IOException {
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            String[] columns = line.split("\t");
            if (columns.length == 3 && Integer.parseInt(columns[2].trim()) > 0) {
                qrels.computeIfAbsent(columns[0], q -> new HashMap<>()).put(columns[1], Integer.parseInt(columns[2].trim()));
            }
        }
        return qrels;
    }
}
