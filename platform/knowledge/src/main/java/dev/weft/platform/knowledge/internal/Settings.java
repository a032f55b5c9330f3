package dev.weft.platform.knowledge.internal;

import dev.weft.api.core.WeftException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A knowledge base's settings in Dify's shapes, with Dify's defaults, read and checked.
 */
final class Settings {

    private Settings() {
    }

    static final Set<String> TECHNIQUES = Set.of("high_quality", "economy");
    static final Set<String> LANGUAGES = Set.of("auto", "en", "zh", "ja", "cjk");
    static final Set<String> FORMS = Set.of("text_model", "hierarchical_model");
    static final Set<String> FIELD_TYPES = Set.of("string", "number", "time");
    /** Metadata every document has; filters may always test these. */
    static final Set<String> BUILT_IN_FIELDS = Set.of("document_name", "source", "upload_date", "last_update_date");

    /** Dify's automatic process rule: separator "\n", 500 tokens, 50 of overlap, extra spaces removed. */
    static Map<String, Object> automaticProcessRule() {
        return Map.of("mode", "automatic", "rules", Map.of(
                "pre_processing_rules", List.of(Map.of("id", "remove_extra_spaces", "enabled", true),
                        Map.of("id", "remove_urls_emails", "enabled", false)),
                "segmentation", Map.of("separator", "\n", "max_tokens", 500, "chunk_overlap", 50)));
    }

    /** Dify's hierarchical defaults: paragraphs of up to 500 tokens, children of up to 200 by line. */
    static Map<String, Object> hierarchicalProcessRule() {
        return Map.of("mode", "hierarchical", "rules", Map.of(
                "pre_processing_rules", List.of(Map.of("id", "remove_extra_spaces", "enabled", true),
                        Map.of("id", "remove_urls_emails", "enabled", false)),
                "parent_mode", "paragraph",
                "segmentation", Map.of("separator", "\n\n", "max_tokens", 500, "chunk_overlap", 0),
                "subchunk_segmentation", Map.of("separator", "\n", "max_tokens", 200, "chunk_overlap", 0)));
    }

    /**
     * The default retrieval of a new knowledge base: hybrid search with Dify's default weights
     * (meaning 0.7, words 0.3), top 3, no threshold; an economy base searches by words. Measured on
     * SciFact (bin/weft bench rag): weighted 0.7 gave nDCG@10 0.735, against 0.724 for 0.5, 0.709
     * for 0.3 and 0.714 for reciprocal-rank fusion, which stays available ({@code reciprocal_rank}).
     */
    static Map<String, Object> defaultRetrieval(boolean economy) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("search_method", economy ? "keyword_search" : "hybrid_search");
        model.put("reranking_enable", false);
        model.put("reranking_mode", "weighted_score");
        model.put("reranking_model", Map.of("reranking_provider_name", "", "reranking_model_name", ""));
        model.put("weights", Map.of("weight_type", "customized",
                "vector_setting", Map.of("vector_weight", 0.7), "keyword_setting", Map.of("keyword_weight", 0.3)));
        model.put("top_k", 3);
        model.put("score_threshold_enabled", false);
        model.put("score_threshold", 0.5);
        return model;
    }

    /** How one knowledge base searches. */
    record Retrieval(String method, String fusion, boolean rerank, String rerankProvider, String rerankModel,
            double semanticWeight, int topK, Double scoreThreshold) {
    }

    static Retrieval retrieval(Map<String, Object> model, boolean economy) {
        Map<String, Object> defaults = defaultRetrieval(economy);
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        if (model != null) {
            merged.putAll(model);
        }
        String method = text(merged.get("search_method"), "hybrid_search");
        if (!Set.of("keyword_search", "semantic_search", "full_text_search", "hybrid_search").contains(method)) {
            throw invalid("search_method must be keyword_search, semantic_search, full_text_search or hybrid_search");
        }
        if (economy) {
            method = "keyword_search";
        }
        String fusion = text(merged.get("reranking_mode"), "weighted_score");
        if (!Set.of("weighted_score", "reranking_model", "reciprocal_rank").contains(fusion)) {
            throw invalid("reranking_mode must be weighted_score, reranking_model or reciprocal_rank");
        }
        boolean rerank = Boolean.TRUE.equals(merged.get("reranking_enable"));
        Map<?, ?> rerankModel = merged.get("reranking_model") instanceof Map<?, ?> m ? m : Map.of();
        String rerankProvider = text(rerankModel.get("reranking_provider_name"), "");
        String rerankName = text(rerankModel.get("reranking_model_name"), "");
        if ((rerank || fusion.equals("reranking_model") && method.equals("hybrid_search"))
                && (rerankProvider.isBlank() || rerankName.isBlank())) {
            if (fusion.equals("reranking_model") && !rerank) {
                fusion = "weighted_score";
            } else {
                throw invalid("reranking needs reranking_model.reranking_provider_name and reranking_model_name");
            }
        }
        double weight = 0.7;
        if (merged.get("weights") instanceof Map<?, ?> weights && weights.get("vector_setting") instanceof Map<?, ?> vector
                && vector.get("vector_weight") instanceof Number w) {
            weight = w.doubleValue();
        }
        if (weight < 0 || weight > 1) {
            throw invalid("weights.vector_setting.vector_weight is between 0 and 1");
        }
        int topK = merged.get("top_k") instanceof Number n ? n.intValue() : 3;
        if (topK < 1 || topK > 100) {
            throw invalid("top_k is between 1 and 100");
        }
        Double threshold = null;
        if (Boolean.TRUE.equals(merged.get("score_threshold_enabled"))) {
            threshold = merged.get("score_threshold") instanceof Number t ? t.doubleValue() : 0.5;
            if (threshold < 0 || threshold > 1) {
                throw invalid("score_threshold is between 0 and 1");
            }
        }
        return new Retrieval(method, fusion, rerank, rerankProvider, rerankName, weight, topK, threshold);
    }

    static String text(Object value, String fallback) {
        return value instanceof String s && !s.isBlank() ? s.strip() : fallback;
    }

    static WeftException invalid(String message) {
        return new WeftException("invalid_param", message);
    }
}
