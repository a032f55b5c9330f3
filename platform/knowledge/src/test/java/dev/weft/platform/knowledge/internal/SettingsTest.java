package dev.weft.platform.knowledge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.core.WeftException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void aNewBaseSearchesBothWaysWithDifysWeightsAndAnEconomyOneByWords() {
        Settings.Retrieval hybrid = Settings.retrieval(null, false);
        assertThat(hybrid.method()).isEqualTo("hybrid_search");
        assertThat(hybrid.fusion()).isEqualTo("weighted_score");
        assertThat(hybrid.semanticWeight()).isEqualTo(0.7);
        assertThat(hybrid.topK()).isEqualTo(3);
        assertThat(hybrid.scoreThreshold()).isNull();
        assertThat(Settings.retrieval(Map.of("search_method", "semantic_search"), true).method()).isEqualTo("keyword_search");
    }

    @Test
    void difysRetrievalModelIsReadWithItsWeightsAndThreshold() {
        Settings.Retrieval weighted = Settings.retrieval(Map.of("search_method", "hybrid_search", "reranking_mode", "weighted_score",
                "weights", Map.of("vector_setting", Map.of("vector_weight", 0.4)), "top_k", 7, "score_threshold_enabled", true,
                "score_threshold", 0.25), false);
        assertThat(weighted.fusion()).isEqualTo("weighted_score");
        assertThat(weighted.semanticWeight()).isEqualTo(0.4);
        assertThat(weighted.topK()).isEqualTo(7);
        assertThat(weighted.scoreThreshold()).isEqualTo(0.25);
        // a rerank mode without a model in a hybrid search falls back to the weights, as nothing could rerank
        assertThat(Settings.retrieval(Map.of("reranking_mode", "reranking_model"), false).fusion()).isEqualTo("weighted_score");
        assertThat(Settings.retrieval(Map.of("reranking_mode", "reciprocal_rank"), false).fusion()).isEqualTo("reciprocal_rank");
    }

    @Test
    void settingsThatCannotBeServedAreRefusedWithTheirReason() {
        assertThatThrownBy(() -> Settings.retrieval(Map.of("search_method", "magic"), false))
                .isInstanceOfSatisfying(WeftException.class, e -> assertThat(e.code()).isEqualTo("invalid_param"))
                .hasMessageContaining("search_method");
        assertThatThrownBy(() -> Settings.retrieval(Map.of("top_k", 0), false)).hasMessageContaining("top_k");
        assertThatThrownBy(() -> Settings.retrieval(Map.of("reranking_enable", true), false)).hasMessageContaining("reranking_model");
        assertThatThrownBy(() -> Settings.retrieval(Map.of("weights", Map.of("vector_setting", Map.of("vector_weight", 2))), false))
                .hasMessageContaining("vector_weight");
    }
}
