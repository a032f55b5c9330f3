package dev.weft.node.knowledge.internal;

import dev.weft.api.core.Violation;
import dev.weft.api.rag.RetrievalQuery.Merge;
import dev.weft.spi.node.VariableSelector;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What a knowledge-retrieval node's configuration asks for, read as Dify reads it
 * ({@code KnowledgeRetrievalNodeData}): the query selector, the knowledge bases, the retrieval mode
 * and the multiple-retrieval settings, mapped onto a {@link Merge}.
 *
 * <p>Dify's defaults apply to what a DSL file leaves out: {@code retrieval_mode} {@code multiple},
 * {@code top_k} 4 (the editor's default), no score threshold, {@code reranking_enable} true and
 * {@code reranking_mode} {@code reranking_model} (the defaults of {@code MultipleRetrievalConfig}).
 *
 * <p>The merge, as Dify's {@code DatasetRetrieval.multiple_retrieve} decides it:
 * <ul>
 * <li>reranking off ({@code reranking_enable: false}): each knowledge base searched by its own
 * settings and the results ordered by score ({@link Merge#DEFAULT}); weights or a rerank model
 * still in the configuration are not applied, as in Dify, and the trace says so;</li>
 * <li>{@code reranking_model} with a model: {@link Merge#RERANK_MODEL}; without one Dify reranks
 * nothing, so {@link Merge#DEFAULT} with a warning;</li>
 * <li>{@code weighted_score}: {@link Merge#WEIGHTED_SCORE} with the semantic weight
 * {@code vector_weight / (vector_weight + keyword_weight)}; weights are required (Dify fails
 * without them);</li>
 * <li>{@code reciprocal_rank} (Weft's own mode): {@link Merge#RECIPROCAL_RANK}.</li>
 * </ul>
 *
 * <p>{@code single} mode: in Dify a model picks one knowledge base from their names and
 * descriptions. Weft's node reads neither (the retrieval service does not list knowledge bases), so
 * with one knowledge base it searches that one by its own settings (what Dify's router ends up
 * doing), and with several it takes the multiple path with the node's multiple-retrieval settings
 * and says so in the trace.
 */
final class RetrievalSettings {

    /** Dify's editor default for {@code multiple_retrieval_config.top_k}. */
    static final int DEFAULT_TOP_K = 4;

    static final List<String> RETRIEVAL_MODES = List.of("multiple", "single");
    static final List<String> RERANKING_MODES = List.of("reranking_model", "weighted_score", "reciprocal_rank");
    static final List<String> FILTERING_MODES = List.of("disabled", "manual", "automatic");

    /**
     * A retrieval as the node will ask for it.
     *
     * @param querySelector where the query is, or null when the node has none (an image query only)
     * @param datasetIds the knowledge bases, without repeats, in the configuration's order
     * @param retrievalMode {@code multiple} or {@code single}
     * @param multiplePath whether the multiple-retrieval settings apply (always, except single mode
     *     with one knowledge base)
     * @param topK the most chunks returned
     * @param scoreThreshold the lowest score returned, or null
     * @param merge how results are merged
     * @param rerankProvider the rerank model's provider, for {@link Merge#RERANK_MODEL}
     * @param rerankModel the rerank model, for {@link Merge#RERANK_MODEL}
     * @param semanticWeight the weight of meaning, for {@link Merge#WEIGHTED_SCORE}
     * @param notes what the trace should say about choices made
     */
    record Plan(VariableSelector querySelector, List<String> datasetIds, String retrievalMode, boolean multiplePath,
            int topK, Double scoreThreshold, Merge merge, String rerankProvider, String rerankModel,
            double semanticWeight, List<String> notes) {

        /** The same plan over other knowledge bases. */
        Plan withDatasetIds(List<String> ids) {
            return new Plan(querySelector, List.copyOf(ids), retrievalMode, multiplePath, topK, scoreThreshold, merge,
                    rerankProvider, rerankModel, semanticWeight, notes);
        }
    }

    private RetrievalSettings() {
    }

    /**
     * Reads the configuration. Every problem found goes to {@code problems} (JSON-pointer paths);
     * the plan returned is then the best reading of the rest, not to be executed.
     */
    static Plan read(Map<String, Object> config, List<Violation> problems) {
        List<String> notes = new ArrayList<>();
        VariableSelector selector = querySelector(config, problems);
        List<String> datasets = datasetIds(config, problems);

        Object modeValue = config.get("retrieval_mode");
        String mode = "multiple";
        if (modeValue != null) {
            if (modeValue instanceof String m && RETRIEVAL_MODES.contains(m)) {
                mode = m;
            } else {
                problems.add(new Violation("/retrieval_mode", "must be multiple or single"));
            }
        }
        boolean multiplePath = !mode.equals("single") || datasets.size() != 1;
        if (mode.equals("single")) {
            notes.add(multiplePath
                    ? "single retrieval mode: Dify lets a model pick one knowledge base; Weft searched all "
                            + datasets.size() + " with the multiple-retrieval settings"
                    : "single retrieval mode with one knowledge base: searched by its own retrieval settings,"
                            + " at most " + topK(config) + " chunks");
        }

        Map<?, ?> multiple = Map.of();
        Object multipleValue = config.get("multiple_retrieval_config");
        if (multipleValue instanceof Map<?, ?> m) {
            multiple = m;
        } else if (multipleValue != null) {
            problems.add(new Violation("/multiple_retrieval_config", "must be an object"));
        }

        int topK = DEFAULT_TOP_K;
        Object topKValue = multiple.get("top_k");
        if (topKValue != null) {
            if (isWholeNumber(topKValue) && ((Number) topKValue).longValue() >= 1
                    && ((Number) topKValue).longValue() <= 1_000) {
                topK = ((Number) topKValue).intValue();
            } else {
                problems.add(new Violation("/multiple_retrieval_config/top_k", "must be a whole number from 1 to 1000"));
            }
        }

        Double threshold = null;
        Object thresholdValue = multiple.get("score_threshold");
        if (thresholdValue != null) {
            if (thresholdValue instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1) {
                threshold = n.doubleValue();
            } else {
                problems.add(new Violation("/multiple_retrieval_config/score_threshold",
                        "must be a number between 0 and 1, or null for none"));
            }
        }

        boolean rerankingEnabled = true;
        Object enableValue = multiple.get("reranking_enable");
        if (enableValue != null) {
            if (enableValue instanceof Boolean b) {
                rerankingEnabled = b;
            } else {
                problems.add(new Violation("/multiple_retrieval_config/reranking_enable", "must be true or false"));
            }
        }

        String rerankingMode = "reranking_model";
        Object rerankingModeValue = multiple.get("reranking_mode");
        if (rerankingModeValue != null) {
            if (rerankingModeValue instanceof String m && RERANKING_MODES.contains(m)) {
                rerankingMode = m;
            } else {
                problems.add(new Violation("/multiple_retrieval_config/reranking_mode",
                        "must be one of " + String.join(", ", RERANKING_MODES)));
            }
        }

        String rerankProvider = null;
        String rerankModel = null;
        Object rerankValue = multiple.get("reranking_model");
        if (rerankValue instanceof Map<?, ?> rerank) {
            Object provider = rerank.get("provider");
            Object model = rerank.get("model");
            if (provider != null && !(provider instanceof String)) {
                problems.add(new Violation("/multiple_retrieval_config/reranking_model/provider", "must be text"));
            } else if (provider instanceof String p && !p.isBlank()) {
                rerankProvider = p;
            }
            if (model != null && !(model instanceof String)) {
                problems.add(new Violation("/multiple_retrieval_config/reranking_model/model", "must be text"));
            } else if (model instanceof String m && !m.isBlank()) {
                rerankModel = m;
            }
        } else if (rerankValue != null) {
            problems.add(new Violation("/multiple_retrieval_config/reranking_model", "must be an object {provider, model}"));
        }

        Double semantic = null;
        Object weightsValue = multiple.get("weights");
        if (weightsValue instanceof Map<?, ?> weights) {
            Double vector = weight(weights, "vector_setting", "vector_weight", problems);
            Double keyword = weight(weights, "keyword_setting", "keyword_weight", problems);
            if (vector != null && keyword != null) {
                if (vector + keyword <= 0) {
                    problems.add(new Violation("/multiple_retrieval_config/weights",
                            "vector_weight and keyword_weight cannot both be 0"));
                } else {
                    semantic = vector / (vector + keyword);
                }
            }
        } else if (weightsValue != null) {
            problems.add(new Violation("/multiple_retrieval_config/weights", "must be an object"));
        }

        Merge merge = Merge.DEFAULT;
        if (multiplePath) {
            if (!rerankingEnabled) {
                if (semantic != null || rerankModel != null) {
                    notes.add("reranking_enable is false: the " + (rerankingMode.equals("weighted_score")
                            ? "weights" : "rerank model") + " in the configuration are not applied (as in Dify);"
                            + " each knowledge base searched by its own settings, results ordered by score");
                }
            } else {
                switch (rerankingMode) {
                    case "weighted_score" -> {
                        if (semantic != null) {
                            merge = Merge.WEIGHTED_SCORE;
                        } else if (weightsValue == null) {
                            problems.add(new Violation("/multiple_retrieval_config/weights",
                                    "weighted_score reranking needs weights{vector_setting{vector_weight},"
                                            + " keyword_setting{keyword_weight}}"));
                        }
                    }
                    case "reciprocal_rank" -> merge = Merge.RECIPROCAL_RANK;
                    default -> {
                        if (rerankModel != null) {
                            merge = Merge.RERANK_MODEL;
                        } else {
                            notes.add("reranking_mode is reranking_model but no rerank model is set: results ordered"
                                    + " by score without reranking (as in Dify)");
                        }
                    }
                }
            }
        }
        if (merge != Merge.RERANK_MODEL) {
            rerankProvider = null;
            rerankModel = null;
        }
        double semanticWeight = semantic != null ? semantic : 0.5;
        Double effectiveThreshold = multiplePath ? threshold : null;
        int effectiveTopK = topK;
        return new Plan(selector, datasets, mode, multiplePath, effectiveTopK, effectiveThreshold, merge, rerankProvider,
                rerankModel, semanticWeight, notes);
    }

    /** The query selector; null when the node has none (Dify allows an image query instead). */
    private static VariableSelector querySelector(Map<String, Object> config, List<Violation> problems) {
        Object value = config.get("query_variable_selector");
        boolean absent = value == null || value instanceof List<?> list && list.isEmpty();
        if (absent) {
            Object attachments = config.get("query_attachment_selector");
            if (!(attachments instanceof List<?> list && !list.isEmpty())) {
                problems.add(new Violation("/query_variable_selector", "the node needs the variable that holds the query"));
            }
            return null;
        }
        return VariableSelector.fromJson(value).orElseGet(() -> {
            problems.add(new Violation("/query_variable_selector",
                    "must be a variable selector: [node id, variable name, ...]"));
            return null;
        });
    }

    private static List<String> datasetIds(Map<String, Object> config, List<Violation> problems) {
        Object value = config.get("dataset_ids");
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            problems.add(new Violation("/dataset_ids", "at least one knowledge base is needed"));
            return List.of();
        }
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof String id && !id.isBlank()) {
                ids.add(id.strip());
            } else {
                problems.add(new Violation("/dataset_ids/" + i, "must be a knowledge base id"));
            }
        }
        return List.copyOf(ids);
    }

    /** The top-k the configuration sets, or the default, for notes (validation happens in {@link #read}). */
    private static int topK(Map<String, Object> config) {
        return config.get("multiple_retrieval_config") instanceof Map<?, ?> m && isWholeNumber(m.get("top_k"))
                && ((Number) m.get("top_k")).longValue() >= 1 && ((Number) m.get("top_k")).longValue() <= 1_000
                        ? ((Number) m.get("top_k")).intValue() : DEFAULT_TOP_K;
    }

    private static Double weight(Map<?, ?> weights, String setting, String key, List<Violation> problems) {
        String path = "/multiple_retrieval_config/weights/" + setting + "/" + key;
        if (!(weights.get(setting) instanceof Map<?, ?> map)) {
            problems.add(new Violation("/multiple_retrieval_config/weights/" + setting, "must be an object with " + key));
            return null;
        }
        if (map.get(key) instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1) {
            return n.doubleValue();
        }
        problems.add(new Violation(path, "must be a number between 0 and 1"));
        return null;
    }

    static boolean isWholeNumber(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return true;
        }
        if (value instanceof java.math.BigInteger) {
            return true;
        }
        return value instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() == Math.rint(n.doubleValue());
    }
}
