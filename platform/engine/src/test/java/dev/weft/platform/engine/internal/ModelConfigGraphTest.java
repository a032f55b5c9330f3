package dev.weft.platform.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.platform.engine.AppDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelConfigGraphTest {

    private static AppDefinition app(String mode, Map<String, Object> modelConfig) {
        return new AppDefinition(mode, "App", "", "0.1.5", Map.of("app", Map.of("mode", mode, "name", "App"),
                "model_config", modelConfig));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> node(Map<String, Object> graph, String id) {
        return ((List<Map<String, Object>>) graph.get("nodes")).stream().filter(n -> n.get("id").equals(id))
                .map(n -> (Map<String, Object>) n.get("data")).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static List<String> edges(Map<String, Object> graph) {
        return ((List<Map<String, Object>>) graph.get("edges")).stream().map(e -> e.get("source") + ">" + e.get("target"))
                .toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_chat_app_with_knowledge_searches_it_with_the_query_and_gives_it_to_the_model_as_context() {
        Map<String, Object> graph = ModelConfigGraph.of(app("chat", Map.of(
                "model", Map.of("provider", "openai", "name", "gpt-4o-mini", "mode", "chat"),
                "pre_prompt", "You help with {{topic}}.",
                "dataset_configs", Map.of("retrieval_model", "multiple", "top_k", 3, "score_threshold_enabled", true,
                        "score_threshold", 0.4, "reranking_enable", false,
                        "datasets", Map.of("strategy", "router", "datasets", List.of(
                                Map.of("dataset", Map.of("enabled", true, "id", "kb-1")),
                                Map.of("dataset", Map.of("enabled", false, "id", "kb-off")),
                                Map.of("dataset", Map.of("enabled", true, "id", "kb-2"))))))));

        Map<String, Object> knowledge = node(graph, ModelConfigGraph.KNOWLEDGE);
        assertThat(knowledge).containsEntry("type", "knowledge-retrieval")
                .containsEntry("query_variable_selector", List.of("sys", "query"))
                .containsEntry("dataset_ids", List.of("kb-1", "kb-2")).containsEntry("retrieval_mode", "multiple");
        assertThat((Map<String, Object>) knowledge.get("multiple_retrieval_config")).containsEntry("top_k", 3)
                .containsEntry("score_threshold", 0.4).containsEntry("reranking_enable", false);
        assertThat(knowledge).containsEntry("missing_datasets", "skip");
        Map<String, Object> llm = node(graph, "llm");
        assertThat((Map<String, Object>) llm.get("context")).containsEntry("enabled", true)
                .containsEntry("variable_selector", List.of("knowledge", "result"))
                .hasEntrySatisfying("prepend", prepend -> assertThat(prepend.toString()).contains("{{#context#}}"));
        assertThat(((List<Map<String, Object>>) llm.get("prompt_template")).get(0).get("text"))
                .isEqualTo("You help with {{#start.topic#}}.");
        assertThat(edges(graph)).containsExactly("start>knowledge", "knowledge>llm", "llm>answer");
    }

    @Test
    void a_prompt_that_places_the_context_itself_keeps_it_where_it_is() {
        Map<String, Object> graph = ModelConfigGraph.of(app("chat", Map.of("pre_prompt", "Facts: {{#context#}} Be brief.",
                "dataset_configs", Map.of("datasets", Map.of("datasets", List.of(Map.of("dataset", Map.of("enabled", true, "id", "kb-1"))))))));
        assertThat(node(graph, "llm").get("prompt_template"))
                .isEqualTo(List.of(Map.of("role", "system", "text", "Facts: {{#context#}} Be brief.")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void settings_out_of_what_the_node_takes_are_brought_in_and_a_threshold_counts_only_when_turned_on() {
        Map<String, Object> graph = ModelConfigGraph.of(app("chat", Map.of("pre_prompt", "Hi", "dataset_configs", Map.of(
                "top_k", 5000, "score_threshold", 0.9, "reranking_enable", true, "reranking_mode", "nonsense",
                "weights", Map.of(), "datasets", Map.of("datasets", List.of("kb-1"))))));
        Map<String, Object> settings = (Map<String, Object>) node(graph, ModelConfigGraph.KNOWLEDGE).get("multiple_retrieval_config");
        assertThat(settings).containsEntry("top_k", 1000).doesNotContainKey("score_threshold")
                .containsEntry("reranking_enable", false).doesNotContainKey("weights").doesNotContainKey("reranking_mode");

        Map<String, Object> reranked = ModelConfigGraph.of(app("chat", Map.of("pre_prompt", "Hi", "dataset_configs", Map.of(
                "score_threshold_enabled", true, "score_threshold", 3, "reranking_enable", true,
                "reranking_model", Map.of("reranking_provider_name", "cohere", "reranking_model_name", "rerank-v3"),
                "datasets", Map.of("datasets", List.of("kb-1"))))));
        assertThat((Map<String, Object>) node(reranked, ModelConfigGraph.KNOWLEDGE).get("multiple_retrieval_config"))
                .containsEntry("score_threshold", 1.0).containsEntry("reranking_enable", true)
                .containsEntry("reranking_model", Map.of("provider", "cohere", "model", "rerank-v3"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void an_advanced_prompt_gets_the_knowledge_only_where_it_places_it_and_bad_weights_turn_reranking_off() {
        Map<String, Object> advanced = ModelConfigGraph.of(app("chat", Map.of("prompt_type", "advanced",
                "chat_prompt_config", Map.of("prompt", List.of(Map.of("role", "system", "text", "No context here."))),
                "dataset_configs", Map.of("datasets", List.of("kb-1")))));
        assertThat((Map<String, Object>) node(advanced, "llm").get("context")).containsEntry("enabled", true)
                .doesNotContainKey("prepend");

        Map<String, Object> weighted = ModelConfigGraph.of(app("chat", Map.of("pre_prompt", "Hi", "dataset_configs", Map.of(
                "reranking_enable", true, "reranking_mode", "weighted_score", "datasets", List.of("kb-1"),
                "weights", Map.of("vector_setting", Map.of("vector_weight", 0.7), "keyword_setting", Map.of("keyword_weight", 0.3))))));
        assertThat((Map<String, Object>) node(weighted, ModelConfigGraph.KNOWLEDGE).get("multiple_retrieval_config"))
                .containsEntry("reranking_enable", true).containsEntry("reranking_mode", "weighted_score");
        Map<String, Object> broken = ModelConfigGraph.of(app("chat", Map.of("pre_prompt", "Hi", "dataset_configs", Map.of(
                "reranking_enable", true, "reranking_mode", "weighted_score", "datasets", List.of("kb-1"),
                "weights", Map.of("vector_setting", Map.of("vector_weight", 3), "keyword_setting", Map.of())))));
        assertThat((Map<String, Object>) node(broken, ModelConfigGraph.KNOWLEDGE).get("multiple_retrieval_config"))
                .containsEntry("reranking_enable", false).doesNotContainKey("weights");
    }

    @Test
    void no_knowledge_means_no_retrieval_and_a_completion_app_searches_with_its_query_input() {
        Map<String, Object> none = ModelConfigGraph.of(app("chat", Map.of("pre_prompt", "Hi",
                "dataset_configs", Map.of("retrieval_model", "single", "datasets", Map.of("datasets", List.of())))));
        assertThat(node(none, ModelConfigGraph.KNOWLEDGE)).isNull();
        assertThat(node(none, "llm")).doesNotContainKey("context");
        assertThat(edges(none)).containsExactly("start>llm", "llm>answer");

        Map<String, Object> datasets = Map.of("datasets", Map.of("datasets", List.of(Map.of("dataset", Map.of("enabled", true, "id", "kb-1")))));
        assertThat(node(ModelConfigGraph.of(app("completion", Map.of("pre_prompt", "Sum up {{text}}", "dataset_configs",
                datasets))), ModelConfigGraph.KNOWLEDGE)).as("a completion app that names no query input").isNull();
        assertThat(node(ModelConfigGraph.of(app("completion", Map.of("pre_prompt", "Sum up {{text}}", "dataset_configs",
                datasets, "dataset_query_variable", "text"))), ModelConfigGraph.KNOWLEDGE))
                .containsEntry("query_variable_selector", List.of("start", "text"));
    }
}
