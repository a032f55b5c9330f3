package dev.weft.platform.knowledge.internal;

import dev.weft.api.core.WeftException;
import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelRuntime;
import dev.weft.api.rag.RetrievalQuery;
import dev.weft.api.rag.RetrievedChunk;
import dev.weft.platform.store.KnowledgeRepository;
import dev.weft.platform.store.KnowledgeRepository.KnowledgeBase;
import dev.weft.platform.store.KnowledgeRepository.Segment;
import dev.weft.spi.model.EmbeddingRequest;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.RerankRequest;
import dev.weft.spi.model.RerankResponse;
import dev.weft.spi.rag.KnowledgeIndex;
import dev.weft.spi.rag.MetadataFilter;
import dev.weft.spi.rag.ScoredChunk;
import dev.weft.spi.rag.SearchMode;
import dev.weft.spi.rag.SearchRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retrieval over knowledge bases: each base searched by its settings (by words, by meaning, or
 * both fused by weights, reciprocal rank or a rerank model), several bases merged as the node asks,
 * then the score threshold and top-k, children given way to their parents, and hits counted.
 */
final class Searcher {

    private static final Logger LOG = LoggerFactory.getLogger(Searcher.class);

    private final KnowledgeService knowledge;
    private final KnowledgeRepository store;
    private final ModelRuntime models;

    Searcher(KnowledgeService knowledge, KnowledgeRepository store, ModelRuntime models) {
        this.knowledge = knowledge;
        this.store = store;
        this.models = models;
    }

    /** A chunk found in one knowledge base, with its score after merging. */
    record Scored(KnowledgeBase base, ScoredChunk chunk, double score) {
    }

    /** Searches the query's knowledge bases and merges what they found as the query asks. */
    List<RetrievedChunk> retrieve(RetrievalQuery query) {
        if (query.knowledgeBaseIds().isEmpty()) {
            throw Settings.invalid("at least one knowledge base is needed");
        }
        List<KnowledgeBase> bases = new ArrayList<>();
        for (String id : new LinkedHashSet<>(query.knowledgeBaseIds())) {
            bases.add(knowledge.requireBase(query.workspaceId(), id));
        }
        checkFilter(bases, query.filter());
        int depth = Math.max(query.topK() * 4, 40);
        List<Scored> merged = new ArrayList<>();
        switch (query.merge()) {
            case DEFAULT -> {
                for (KnowledgeBase base : bases) {
                    Settings.Retrieval settings = Settings.retrieval(KnowledgeService.object(base.retrievalModelJson()),
                            base.indexingTechnique().equals("economy"));
                    merged.addAll(searchBase(base, settings, query.query(), query.filter(), query.topK(), query.runId(), query.nodeId()));
                }
                merged.sort(Comparator.comparingDouble(Scored::score).reversed());
            }
            case WEIGHTED_SCORE -> {
                for (KnowledgeBase base : bases) {
                    Settings.Retrieval settings = new Settings.Retrieval("hybrid_search", "weighted_score", false, "", "",
                            query.semanticWeight(), query.topK(), null);
                    merged.addAll(searchBase(base, settings, query.query(), query.filter(), query.topK(), query.runId(), query.nodeId()));
                }
                merged.sort(Comparator.comparingDouble(Scored::score).reversed());
            }
            case RECIPROCAL_RANK, RERANK_MODEL -> {
                List<List<ScoredChunk>> lists = new ArrayList<>();
                Map<String, KnowledgeBase> owner = new HashMap<>();
                for (KnowledgeBase base : bases) {
                    for (List<ScoredChunk> list : lists(base, query.query(), query.filter(), depth, query.runId(), query.nodeId())) {
                        list.forEach(chunk -> owner.put(chunk.chunkId(), base));
                        lists.add(list);
                    }
                }
                List<Fusion.Fused> fused = Fusion.reciprocalRank(lists);
                if (query.merge() == RetrievalQuery.Merge.RERANK_MODEL) {
                    if (query.rerankModel() == null || query.rerankModel().isBlank()) {
                        throw Settings.invalid("merging by a rerank model needs the rerank model");
                    }
                    fused = rerank(query.workspaceId(), query.rerankProvider(), query.rerankModel(), query.query(),
                            fused.subList(0, Math.min(fused.size(), depth)), query.runId(), query.nodeId());
                }
                fused.forEach(f -> merged.add(new Scored(owner.get(f.chunk().chunkId()), f.chunk(), f.score())));
            }
        }
        return finish(query.workspaceId(), merged, query.topK(), query.scoreThreshold());
    }

    /** The result lists a knowledge base's search makes: by words, and by meaning when it has vectors. */
    private List<List<ScoredChunk>> lists(KnowledgeBase base, String query, MetadataFilter filter, int depth, String runId,
            String nodeId) {
        List<List<ScoredChunk>> lists = new ArrayList<>();
        try {
            KnowledgeIndex index = knowledge.index(base);
            lists.add(index.search(new SearchRequest(query, null, SearchMode.FULL_TEXT, depth, 0, 0, filter)));
            if (!base.indexingTechnique().equals("economy")) {
                float[] vector = embedQuery(base.workspaceId(), base.embeddingProvider(), base.embeddingModel(), query, runId, nodeId);
                lists.add(index.search(new SearchRequest(query, vector, SearchMode.SEMANTIC, depth, 0, 0, filter)));
            }
        } catch (IOException e) {
            throw new WeftException("index_error", "knowledge base " + base.name() + " could not be searched: " + e.getMessage());
        }
        return lists;
    }

    /** One knowledge base searched by its settings; chunks of parent-child bases are still children here. */
    List<Scored> searchBase(KnowledgeBase base, Settings.Retrieval settings, String query, MetadataFilter filter, int topK,
            String runId, String nodeId) {
        boolean hierarchical = base.docForm().equals("hierarchical_model");
        int depth = hierarchical ? topK * 4 : topK;
        List<Fusion.Fused> fused;
        try {
            KnowledgeIndex index = knowledge.index(base);
            switch (settings.method()) {
                case "keyword_search", "full_text_search" -> fused = Fusion.asIs(index.search(new SearchRequest(query, null,
                        SearchMode.FULL_TEXT, depth, 0, 0, filter)));
                // the vector graph is searched wider than asked: its recall grows with the beam
                case "semantic_search" -> fused = Fusion.asIs(index.search(new SearchRequest(query,
                        embedQuery(base.workspaceId(), base.embeddingProvider(), base.embeddingModel(), query, runId, nodeId),
                        SearchMode.SEMANTIC, Math.max(depth, 100), 0, 0, filter)).stream().limit(depth).toList());
                default -> {
                    // both lists deep enough that a chunk ranked well by one of them is still seen by the other
                    int wide = Math.max(depth * 4, 100);
                    List<ScoredChunk> words = index.search(new SearchRequest(query, null, SearchMode.FULL_TEXT, wide, 0, 0, filter));
                    List<ScoredChunk> meaning = index.search(new SearchRequest(query, embedQuery(base.workspaceId(),
                            base.embeddingProvider(), base.embeddingModel(), query, runId, nodeId), SearchMode.SEMANTIC, wide, 0, 0, filter));
                    fused = switch (settings.fusion()) {
                        case "weighted_score" -> Fusion.weighted(meaning, words, settings.semanticWeight());
                        case "reranking_model" -> rerank(base.workspaceId(), settings.rerankProvider(), settings.rerankModel(), query,
                                Fusion.reciprocalRank(List.of(meaning, words)).stream().limit(wide).toList(), runId, nodeId);
                        default -> Fusion.reciprocalRank(List.of(meaning, words));
                    };
                }
            }
        } catch (IOException e) {
            throw new WeftException("index_error", "knowledge base " + base.name() + " could not be searched: " + e.getMessage());
        }
        if (settings.rerank() && !settings.method().equals("hybrid_search")) {
            fused = rerank(base.workspaceId(), settings.rerankProvider(), settings.rerankModel(), query, fused, runId, nodeId);
        }
        List<Scored> out = new ArrayList<>();
        for (Fusion.Fused f : fused) {
            if (settings.scoreThreshold() == null || f.score() >= settings.scoreThreshold()) {
                out.add(new Scored(base, f.chunk(), f.score()));
            }
        }
        return out;
    }

    private List<Fusion.Fused> rerank(String workspaceId, String provider, String model, String query, List<Fusion.Fused> candidates,
            String runId, String nodeId) {
        if (candidates.isEmpty()) {
            return candidates;
        }
        try {
            RerankResponse response = models.rerank(new ModelCall(workspaceId, provider, model, runId, nodeId),
                    new RerankRequest(query, candidates.stream().map(f -> f.chunk().content()).toList(), 0));
            List<Fusion.Fused> out = new ArrayList<>();
            for (RerankResponse.Hit hit : response.hits()) {
                if (hit.index() >= 0 && hit.index() < candidates.size()) {
                    out.add(new Fusion.Fused(candidates.get(hit.index()).chunk(), Math.max(0, Math.min(1, hit.score()))));
                }
            }
            out.sort(Comparator.comparingDouble(Fusion.Fused::score).reversed());
            return out;
        } catch (ModelException e) {
            throw new WeftException(e.code(), "reranking failed: " + e.getMessage());
        }
    }

    /**
     * Threshold and top-k over merged chunks; children give way to their parents (a parent found by
     * several children counts once, with its best child's score); hits counted.
     */
    List<RetrievedChunk> finish(String workspaceId, List<Scored> merged, int topK, Double threshold) {
        Map<String, List<Scored>> byParent = new LinkedHashMap<>();
        for (Scored scored : merged) {
            if (threshold != null && scored.score() < threshold) {
                continue;
            }
            Object parent = scored.chunk().metadata().get("parent_id");
            String key = parent instanceof String p && !p.isEmpty() ? p : scored.chunk().chunkId();
            if (byParent.containsKey(key) || byParent.size() < topK) {
                byParent.computeIfAbsent(key, k -> new ArrayList<>()).add(scored);
            }
        }
        Map<String, Segment> parents = new HashMap<>();
        List<String> parentIds = byParent.entrySet().stream()
                .filter(e -> e.getValue().get(0).chunk().metadata().get("parent_id") instanceof String).map(Map.Entry::getKey).toList();
        store.segmentsById(workspaceId, parentIds).forEach(s -> parents.put(s.id(), s));
        List<RetrievedChunk> out = new ArrayList<>();
        for (Map.Entry<String, List<Scored>> entry : byParent.entrySet()) {
            Scored best = entry.getValue().get(0);
            Map<String, Object> meta = best.chunk().metadata();
            Segment parent = parents.get(entry.getKey());
            List<RetrievedChunk.Child> children = new ArrayList<>();
            if (parent != null) {
                for (Scored child : entry.getValue()) {
                    children.add(new RetrievedChunk.Child(child.chunk().chunkId(), intOf(child.chunk().metadata().get("position")),
                            child.chunk().content(), child.score()));
                }
            }
            Map<String, Object> documentMeta = new LinkedHashMap<>(meta);
            List.of("document_id", "position", "parent_id", "chunk_id").forEach(documentMeta::remove);
            out.add(new RetrievedChunk(best.base().id(), best.base().name(), best.chunk().documentId(),
                    String.valueOf(meta.getOrDefault("document_name", "")), parent != null ? parent.id() : best.chunk().chunkId(),
                    parent != null ? parent.position() : intOf(meta.get("position")),
                    parent != null ? parent.content() : best.chunk().content(), best.score(), children, documentMeta));
        }
        List<String> hits = out.stream().map(RetrievedChunk::segmentId).toList();
        Thread.ofVirtual().start(() -> {
            try {
                store.hit(hits);
            } catch (RuntimeException e) {
                LOG.debug("Hits could not be counted: {}", e.getMessage());
            }
        });
        return out;
    }

    private static int intOf(Object value) {
        return value instanceof Number n ? n.intValue() : 0;
    }

    /** Filters may test the built-in keys and the fields every searched base declares. */
    private static void checkFilter(List<KnowledgeBase> bases, MetadataFilter filter) {
        for (MetadataFilter.Condition condition : filter.conditions()) {
            if (Settings.BUILT_IN_FIELDS.contains(condition.key())) {
                continue;
            }
            for (KnowledgeBase base : bases) {
                if (!KnowledgeService.object(base.metadataFieldsJson()).containsKey(condition.key())) {
                    throw Settings.invalid("metadata key '" + condition.key() + "' is not a field of knowledge base "
                            + base.name());
                }
            }
        }
    }

    float[] embedQuery(String workspaceId, String provider, String model, String query, String runId, String nodeId) {
        try {
            return models.embed(new ModelCall(workspaceId, provider, model, runId, nodeId),
                    new EmbeddingRequest(List.of(query), EmbeddingRequest.Purpose.QUERY)).vectors().get(0);
        } catch (ModelException e) {
            throw new WeftException(e.code(), "the embedding model failed: " + e.getMessage());
        }
    }
}
