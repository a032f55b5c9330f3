package dev.weft.platform.knowledge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spi.rag.ScoredChunk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FusionTest {

    private static ScoredChunk chunk(String id, double score) {
        return new ScoredChunk(id, "doc-" + id, "text " + id, score, Map.of());
    }

    @Test
    void reciprocalRankFavoursWhatBothListsRankHighAndScalesToOne() {
        List<Fusion.Fused> fused = Fusion.reciprocalRank(List.of(
                List.of(chunk("a", 0.9), chunk("b", 0.8), chunk("c", 0.1)),
                List.of(chunk("b", 12.0), chunk("a", 3.0), chunk("d", 1.0))));
        assertThat(fused).extracting(f -> f.chunk().chunkId()).containsExactly("a", "b", "c", "d");
        assertThat(fused.get(0).score()).isLessThanOrEqualTo(1.0).isGreaterThan(fused.get(2).score());
        Fusion.Fused top = Fusion.reciprocalRank(List.of(List.of(chunk("x", 1)), List.of(chunk("x", 1)))).get(0);
        assertThat(top.score()).isEqualTo(1.0);
    }

    @Test
    void weightedScoresCountAMissingListAsZero() {
        List<Fusion.Fused> fused = Fusion.weighted(List.of(chunk("a", 0.9), chunk("b", 0.5)), List.of(chunk("b", 1.0)), 0.7);
        assertThat(fused).extracting(f -> f.chunk().chunkId()).containsExactly("b", "a");
        assertThat(fused.get(0).score()).isCloseTo(0.7 * 0.5 + 0.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(fused.get(1).score()).isCloseTo(0.63, org.assertj.core.data.Offset.offset(1e-9));
    }
}
