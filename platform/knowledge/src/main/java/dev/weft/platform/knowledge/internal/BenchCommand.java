package dev.weft.platform.knowledge.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelRuntime;
import dev.weft.api.rag.RetrievedChunk;
import dev.weft.platform.knowledge.KnowledgeAdministration.NewKnowledgeBase;
import dev.weft.platform.store.KnowledgeRepository;
import dev.weft.platform.store.KnowledgeRepository.KnowledgeBase;
import dev.weft.platform.store.WorkspaceRepository;
import dev.weft.spi.command.Command;
import dev.weft.spi.model.EmbeddingRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code bin/weft bench rag <folder> [--limit <docs>] [--language <lang>]}: a retrieval benchmark on a
 * folder in BEIR layout ({@code corpus.jsonl}, {@code queries.jsonl}, {@code qrels/test.tsv}, graded
 * judgements allowed). The documents (title and text) go through the real ingestion path into a
 * fresh knowledge base with its default settings; then the bare embedding model embeds the same
 * chunks for comparison; then every judged query runs in each retrieval mode. Ends with
 * {@code ndcg10_fulltext= ndcg10_semantic= ndcg10_hybrid= ingest_docs_per_s= model_docs_per_s=
 * query_p50_ms= query_p99_ms=}.
 */
@Component(service = Command.class, property = Command.NAME + "=bench")
public final class BenchCommand implements Command {

    static final String USAGE_TEXT = "usage: weft bench rag <beir-folder> [--limit <documents>] [--language <auto|en|zh|ja|cjk>]"
            + " [--home <dir>]";

    private final KnowledgeService knowledge;
    private final KnowledgeRepository store;
    private final WorkspaceRepository workspaces;
    private final ModelRuntime models;

    @Activate
    public BenchCommand(@Reference KnowledgeService knowledge, @Reference KnowledgeRepository store,
            @Reference WorkspaceRepository workspaces, @Reference ModelRuntime models) {
        this.knowledge = knowledge;
        this.store = store;
        this.workspaces = workspaces;
        this.models = models;
    }

    /** A judged corpus. */
    record Corpus(Map<String, String[]> documents, Map<String, String> queries, Map<String, Map<String, Integer>> judgements) {
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) {
        if (arguments.size() < 2 || !arguments.get(0).equals("rag")) {
            err.println(USAGE_TEXT);
            out.println("error: " + (arguments.isEmpty() || !arguments.get(0).equals("rag") ? "unknown benchmark" : "missing folder"));
            return USAGE;
        }
        Path folder = Path.of(arguments.get(1));
        int limit = Integer.MAX_VALUE;
        String language = "auto";
        for (int i = 2; i < arguments.size(); i++) {
            String option = arguments.get(i);
            if ((option.equals("--limit") || option.equals("--language")) && i + 1 < arguments.size()) {
                String value = arguments.get(++i);
                if (option.equals("--limit")) {
                    try {
                        limit = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        err.println(USAGE_TEXT);
                        out.println("error: --limit takes a number");
                        return USAGE;
                    }
                } else {
                    language = value;
                }
            } else {
                err.println(USAGE_TEXT);
                out.println("error: unknown option " + option);
                return USAGE;
            }
        }
        try {
            return bench(read(folder, limit), language, out, err);
        } catch (IOException | RuntimeException e) {
            err.println("bench: " + e.getMessage());
            out.println("error: " + e.getMessage());
            return FAILED;
        }
    }

    static Corpus read(Path folder, int limit) throws IOException {
        Map<String, String[]> documents = new LinkedHashMap<>();
        try (BufferedReader lines = Files.newBufferedReader(folder.resolve("corpus.jsonl"), StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null && documents.size() < limit) {
                if (!line.isBlank()) {
                    JsonNode doc = KnowledgeService.JSON.readTree(line);
                    documents.put(doc.path("_id").asText(), new String[] {doc.path("title").asText(""), doc.path("text").asText("")});
                }
            }
        }
        Map<String, Map<String, Integer>> judgements = new LinkedHashMap<>();
        for (String line : Files.readAllLines(folder.resolve("qrels/test.tsv"), StandardCharsets.UTF_8)) {
            String[] cells = line.split("\t");
            if (cells.length < 3 || cells[0].equals("query-id")) {
                continue;
            }
            int grade = Integer.parseInt(cells[2].strip());
            if (grade > 0 && documents.containsKey(cells[1])) {
                judgements.computeIfAbsent(cells[0], q -> new HashMap<>()).put(cells[1], grade);
            }
        }
        Map<String, String> queries = new LinkedHashMap<>();
        try (BufferedReader lines = Files.newBufferedReader(folder.resolve("queries.jsonl"), StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    JsonNode query = KnowledgeService.JSON.readTree(line);
                    if (judgements.containsKey(query.path("_id").asText())) {
                        queries.put(query.path("_id").asText(), query.path("text").asText());
                    }
                }
            }
        }
        return new Corpus(documents, queries, judgements);
    }

    private int bench(Corpus corpus, String language, PrintStream out, PrintStream err) throws IOException {
        String workspace = workspaces.defaultWorkspace().id();
        KnowledgeBase base = knowledge.create(workspace, new NewKnowledgeBase("bench " + System.currentTimeMillis(), "", null,
                null, null, language, null, null, null, Map.of("corpus_id", "string")));
        Settings.Retrieval hybrid = Settings.retrieval(KnowledgeService.object(base.retrievalModelJson()), false);
        out.println("settings: documents=" + corpus.documents().size() + " queries=" + corpus.queries().size()
                + " indexing=" + base.indexingTechnique() + " embedding=" + (base.embeddingModel() == null || base.embeddingModel().isEmpty()
                        ? "(default: local bge-small-en-v1.5)" : base.embeddingProvider() + "/" + base.embeddingModel())
                + " dimensions=" + base.dimensions() + " language=" + base.language() + " process_rule=" + base.processRuleJson()
                + " hybrid=" + hybrid.fusion() + (hybrid.fusion().equals("weighted_score") ? "(" + hybrid.semanticWeight() + ")" : ""));

        // the bare model on the same chunks the ingestion will make, warmed up first, so that both
        // rates are of a warm model; batches of 32 in the corpus's order
        List<String> chunks = new ArrayList<>();
        var chunker = knowledge.chunkerFor(base);
        Map<String, Object> rule = KnowledgeService.object(base.processRuleJson());
        for (String[] titleText : corpus.documents().values()) {
            for (dev.weft.spi.rag.Chunk chunk : chunker.chunk(joined(titleText), rule, knowledge.tokens())) {
                chunks.add(chunk.content());
            }
        }
        int batch = 32;
        ModelCall bare = new ModelCall(workspace, base.embeddingProvider(), base.embeddingModel(), null, "bench");
        for (int from = 0; from < Math.min(256, chunks.size()); from += batch) {
            models.embed(bare, new EmbeddingRequest(chunks.subList(from, Math.min(Math.min(256, chunks.size()), from + batch)),
                    EmbeddingRequest.Purpose.DOCUMENT));
        }
        long modelStarted = System.nanoTime();
        for (int from = 0; from < chunks.size(); from += batch) {
            models.embed(bare, new EmbeddingRequest(chunks.subList(from, Math.min(chunks.size(), from + batch)),
                    EmbeddingRequest.Purpose.DOCUMENT));
        }
        double modelSeconds = (System.nanoTime() - modelStarted) / 1e9;
        double modelRate = corpus.documents().size() / modelSeconds;
        out.println("model: " + chunks.size() + " chunks embedded in " + String.format(Locale.ROOT, "%.1f", modelSeconds)
                + " s (after a warm-up of " + Math.min(256, chunks.size()) + ")");

        long started = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, String[]> doc : corpus.documents().entrySet()) {
            ids.add(knowledge.addText(workspace, base.id(), doc.getKey(), joined(doc.getValue()), Map.of("corpus_id", doc.getKey())).id());
        }
        int failed = awaitIngested(workspace, base.id(), corpus.documents().size(), err);
        double ingestSeconds = (System.nanoTime() - started) / 1e9;
        double ingestRate = corpus.documents().size() / ingestSeconds;
        Ingestion steps = knowledge.ingestion();
        out.println("ingested: " + corpus.documents().size() + " documents in " + String.format(Locale.ROOT, "%.1f", ingestSeconds)
                + " s, " + failed + " failed; time in steps summed over workers (s): " + String.format(Locale.ROOT,
                        "extract %.1f, chunk %.1f, embed %.1f, index %.1f, store %.1f", steps.extractNanos.sum() / 1e9,
                        steps.chunkNanos.sum() / 1e9, steps.embedNanos.sum() / 1e9, steps.indexNanos.sum() / 1e9,
                        steps.storeNanos.sum() / 1e9) + String.format(Locale.ROOT, "; the model was busy %.1f s with %d batches"
                        + " of %.1f texts on average", knowledge.batcher().busyNanos.sum() / 1e9, knowledge.batcher().batches.sum(),
                        knowledge.batcher().texts.sum() / (double) Math.max(1, knowledge.batcher().batches.sum())));

        double fullText = ndcg(corpus, workspace, base, "full_text_search", null);
        double semantic = ndcg(corpus, workspace, base, "semantic_search", null);
        List<Double> latencies = new ArrayList<>();
        double hybridScore = ndcg(corpus, workspace, base, "hybrid_search", latencies);
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        // the other hybrid settings a knowledge base may choose, for comparison
        StringBuilder variants = new StringBuilder("other hybrid settings:");
        variants.append(String.format(Locale.ROOT, " reciprocal_rank=%.4f", ndcg(corpus, workspace, base, "hybrid_search", null,
                Map.of("reranking_mode", "reciprocal_rank"))));
        for (double weight : new double[] {0.3, 0.5, 0.7}) {
            variants.append(String.format(Locale.ROOT, " weighted_score(%.1f)=%.4f", weight, ndcg(corpus, workspace, base,
                    "hybrid_search", null, Map.of("reranking_mode", "weighted_score", "weights", Map.of("vector_setting",
                            Map.of("vector_weight", weight), "keyword_setting", Map.of("keyword_weight", 1 - weight))))));
        }
        out.println(variants);
        knowledge.delete(workspace, base.id());
        out.println(String.format(Locale.ROOT, "ndcg10_fulltext=%.4f ndcg10_semantic=%.4f ndcg10_hybrid=%.4f"
                + " ingest_docs_per_s=%.1f model_docs_per_s=%.1f query_p50_ms=%.2f query_p99_ms=%.2f", fullText, semantic,
                hybridScore, ingestRate, modelRate, percentile(sorted, 0.50), percentile(sorted, 0.99)));
        return OK;
    }

    private int awaitIngested(String workspace, String baseId, int total, PrintStream err) {
        long lastReport = System.nanoTime();
        while (true) {
            KnowledgeRepository.Counts counts = store.counts(workspace, baseId);
            int failed = store.documentsIn(List.of("failed"), 100_000).stream()
                    .filter(d -> d.knowledgeBaseId().equals(baseId)).mapToInt(d -> 1).sum();
            if (counts.indexed() + failed >= total) {
                return failed;
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                err.println("bench: " + counts.indexed() + " of " + total + " documents indexed");
                lastReport = System.nanoTime();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
    }

    /** Mean nDCG@10 over the judged queries in one search method (documents ranked by their best chunk). */
    private double ndcg(Corpus corpus, String workspace, KnowledgeBase base, String method, List<Double> latencies) {
        return ndcg(corpus, workspace, base, method, latencies, Map.of());
    }

    private double ndcg(Corpus corpus, String workspace, KnowledgeBase base, String method, List<Double> latencies,
            Map<String, Object> overrides) {
        Map<String, Object> model = new LinkedHashMap<>(KnowledgeService.object(base.retrievalModelJson()));
        model.putAll(overrides);
        model.put("search_method", method);
        model.put("top_k", 30);
        model.put("score_threshold_enabled", false);
        double sum = 0;
        for (Map.Entry<String, String> query : corpus.queries().entrySet()) {
            long started = System.nanoTime();
            List<RetrievedChunk> found = knowledge.hitTest(workspace, base.id(), query.getValue(), model);
            if (latencies != null) {
                latencies.add((System.nanoTime() - started) / 1e6);
            }
            Set<String> ranked = new LinkedHashSet<>();
            for (RetrievedChunk chunk : found) {
                ranked.add(chunk.documentName());
            }
            sum += ndcg10(new ArrayList<>(ranked), corpus.judgements().get(query.getKey()));
        }
        return corpus.queries().isEmpty() ? 0 : sum / corpus.queries().size();
    }

    /** Title and text joined as BEIR evaluations join them, so that the default chunking keeps them together. */
    private static String joined(String[] titleText) {
        return titleText[0].isBlank() ? titleText[1] : titleText[0] + " " + titleText[1];
    }

    static double ndcg10(List<String> ranked, Map<String, Integer> relevant) {
        double dcg = 0;
        for (int i = 0; i < Math.min(10, ranked.size()); i++) {
            int grade = relevant.getOrDefault(ranked.get(i), 0);
            dcg += (Math.pow(2, grade) - 1) / (Math.log(i + 2) / Math.log(2));
        }
        int[] ideal = relevant.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        double idcg = 0;
        for (int i = 0; i < Math.min(10, ideal.length); i++) {
            int grade = ideal[ideal.length - 1 - i];
            idcg += (Math.pow(2, grade) - 1) / (Math.log(i + 2) / Math.log(2));
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
