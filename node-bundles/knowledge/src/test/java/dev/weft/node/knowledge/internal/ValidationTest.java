package dev.weft.node.knowledge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.core.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link KnowledgeRetrievalNode#validate}: what a graph's import or save reports about a node's fields. */
class ValidationTest {

    final KnowledgeRetrievalNode node = new KnowledgeRetrievalNode();

    static Map<String, Object> valid() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("type", "knowledge-retrieval");
        config.put("query_variable_selector", List.of("start", "question"));
        config.put("dataset_ids", List.of("kb-1"));
        config.put("retrieval_mode", "multiple");
        config.put("multiple_retrieval_config", new LinkedHashMap<>(Map.of("top_k", 4, "reranking_enable", false)));
        return config;
    }

    List<String> paths(Map<String, Object> config) {
        return node.validate(config).stream().map(Violation::path).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> multiple(Map<String, Object> config) {
        return (Map<String, Object>) config.get("multiple_retrieval_config");
    }

    @Test
    void theCorpusConfigurationsAndAMinimalOneAreValid() {
        assertThat(node.validate(valid())).isEmpty();
        assertThat(node.validate(KnowledgeRetrievalNodeTest.yaml(KnowledgeRetrievalNodeTest.CORPUS_WEIGHTED_OFF))).isEmpty();
        assertThat(node.validate(KnowledgeRetrievalNodeTest.yaml(KnowledgeRetrievalNodeTest.CORPUS_RERANK_DEFAULTS))).isEmpty();
        assertThat(node.validate(KnowledgeRetrievalNodeTest.yaml(KnowledgeRetrievalNodeTest.CORPUS_SINGLE))).isEmpty();
        assertThat(node.validate(Map.of("query_variable_selector", List.of("sys", "query"), "dataset_ids", List.of("kb"))))
                .isEmpty();
    }

    @Test
    void knowledgeBasesAreRequired() {
        Map<String, Object> none = valid();
        none.remove("dataset_ids");
        Map<String, Object> empty = valid();
        empty.put("dataset_ids", List.of());
        Map<String, Object> bad = valid();
        bad.put("dataset_ids", new ArrayList<>(java.util.Arrays.asList("kb-1", "", 7, null)));

        assertThat(paths(none)).containsExactly("/dataset_ids");
        assertThat(paths(empty)).containsExactly("/dataset_ids");
        assertThat(paths(bad)).containsExactly("/dataset_ids/1", "/dataset_ids/2", "/dataset_ids/3");
    }

    @Test
    void theQueryNeedsASelector() {
        Map<String, Object> none = valid();
        none.remove("query_variable_selector");
        Map<String, Object> shortOne = valid();
        shortOne.put("query_variable_selector", List.of("start"));
        Map<String, Object> text = valid();
        text.put("query_variable_selector", "start.question");
        Map<String, Object> imageOnly = valid();
        imageOnly.remove("query_variable_selector");
        imageOnly.put("query_attachment_selector", List.of("start", "photo"));

        assertThat(paths(none)).containsExactly("/query_variable_selector");
        assertThat(paths(shortOne)).containsExactly("/query_variable_selector");
        assertThat(paths(text)).containsExactly("/query_variable_selector");
        assertThat(paths(imageOnly)).isEmpty();
    }

    @Test
    void modesMustBeDifysOnes() {
        Map<String, Object> config = valid();
        config.put("retrieval_mode", "router");
        config.put("metadata_filtering_mode", "sometimes");

        assertThat(paths(config)).containsExactly("/retrieval_mode", "/metadata_filtering_mode");
    }

    @Test
    void multipleRetrievalFieldsAreChecked() {
        Map<String, Object> config = valid();
        Map<String, Object> multiple = multiple(config);
        multiple.put("top_k", 0);
        multiple.put("score_threshold", 1.5);
        multiple.put("reranking_enable", "yes");
        multiple.put("reranking_mode", "magic");
        multiple.put("reranking_model", "cohere/rerank");

        assertThat(paths(config)).containsExactly(
                "/multiple_retrieval_config/top_k",
                "/multiple_retrieval_config/score_threshold",
                "/multiple_retrieval_config/reranking_enable",
                "/multiple_retrieval_config/reranking_mode",
                "/multiple_retrieval_config/reranking_model");

        Map<String, Object> fractional = valid();
        multiple(fractional).put("top_k", 2.5);
        Map<String, Object> notObject = valid();
        notObject.put("multiple_retrieval_config", List.of());
        assertThat(paths(fractional)).containsExactly("/multiple_retrieval_config/top_k");
        assertThat(paths(notObject)).containsExactly("/multiple_retrieval_config");
    }

    @Test
    void weightedScoreNeedsUsableWeights() {
        Map<String, Object> missing = valid();
        multiple(missing).put("reranking_enable", true);
        multiple(missing).put("reranking_mode", "weighted_score");
        Map<String, Object> outOfRange = valid();
        multiple(outOfRange).put("weights", Map.of("vector_setting", Map.of("vector_weight", 2),
                "keyword_setting", Map.of("keyword_weight", 0.3)));
        Map<String, Object> zeros = valid();
        multiple(zeros).put("weights", Map.of("vector_setting", Map.of("vector_weight", 0),
                "keyword_setting", Map.of("keyword_weight", 0)));
        Map<String, Object> noKeyword = valid();
        multiple(noKeyword).put("weights", Map.of("vector_setting", Map.of("vector_weight", 0.5)));
        Map<String, Object> offWithoutWeights = valid();
        multiple(offWithoutWeights).put("reranking_mode", "weighted_score");

        assertThat(paths(missing)).containsExactly("/multiple_retrieval_config/weights");
        assertThat(node.validate(missing).get(0).message()).contains("weighted_score reranking needs weights");
        assertThat(paths(outOfRange)).containsExactly("/multiple_retrieval_config/weights/vector_setting/vector_weight");
        assertThat(paths(zeros)).containsExactly("/multiple_retrieval_config/weights");
        assertThat(paths(noKeyword)).containsExactly("/multiple_retrieval_config/weights/keyword_setting");
        assertThat(paths(offWithoutWeights)).isEmpty();
    }

    @Test
    void manualMetadataConditionsAreChecked() {
        Map<String, Object> config = valid();
        config.put("metadata_filtering_mode", "manual");
        config.put("metadata_filtering_conditions", Map.of("logical_operator", "and", "conditions", List.of(
                Map.of("name", "year", "comparison_operator", "between", "value", "2020"))));
        Map<String, Object> notAnObject = valid();
        notAnObject.put("metadata_filtering_mode", "manual");
        notAnObject.put("metadata_filtering_conditions", "year > 2020");

        assertThat(paths(config)).containsExactly("/metadata_filtering_conditions/conditions/0/comparison_operator");
        assertThat(paths(notAnObject)).containsExactly("/metadata_filtering_conditions");
    }

    @Test
    void theDescriptorDescribesDifysNode() {
        assertThat(node.descriptor().type()).isEqualTo("knowledge-retrieval");
        assertThat(node.descriptor().version()).isEqualTo("1");
        assertThat(node.descriptor().category()).isEqualTo("knowledge");
        assertThat(node.descriptor().configSchema()).containsEntry("required", List.of("dataset_ids"));
        assertThat(node.descriptor().outputs()).extracting(spec -> spec.name()).containsExactly("result");
    }
}
