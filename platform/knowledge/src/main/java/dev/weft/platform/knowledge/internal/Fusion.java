package dev.weft.platform.knowledge.internal;

import dev.weft.spi.rag.ScoredChunk;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges ranked lists of chunks: by weighted scores, or by reciprocal rank.
 */
final class Fusion {

    /** Dify's and the literature's usual constant: ranks past the first few weigh little. */
    static final int RRF_K = 60;

    private Fusion() {
    }

    /** A chunk with its merged score. */
    record Fused(ScoredChunk chunk, double score) {
    }

    /**
     * {@code weight × semantic + (1 − weight) × full text}, both in [0, 1]; a chunk missing from a
     * list scores 0 there.
     */
    static List<Fused> weighted(List<ScoredChunk> semantic, List<ScoredChunk> fullText, double weight) {
        Map<String, double[]> scores = new LinkedHashMap<>();
        Map<String, ScoredChunk> chunks = new LinkedHashMap<>();
        for (ScoredChunk chunk : semantic) {
            chunks.putIfAbsent(chunk.chunkId(), chunk);
            scores.computeIfAbsent(chunk.chunkId(), id -> new double[2])[0] = chunk.score();
        }
        for (ScoredChunk chunk : fullText) {
            chunks.putIfAbsent(chunk.chunkId(), chunk);
            scores.computeIfAbsent(chunk.chunkId(), id -> new double[2])[1] = chunk.score();
        }
        List<Fused> fused = new ArrayList<>();
        scores.forEach((id, s) -> fused.add(new Fused(chunks.get(id), weight * s[0] + (1 - weight) * s[1])));
        fused.sort(Comparator.comparingDouble(Fused::score).reversed());
        return fused;
    }

    /**
     * Reciprocal-rank fusion: each list gives {@code 1 / (60 + rank)}; the sum is scaled so that a
     * chunk first in every list scores 1.
     */
    static List<Fused> reciprocalRank(List<List<ScoredChunk>> lists) {
        Map<String, Double> scores = new LinkedHashMap<>();
        Map<String, ScoredChunk> chunks = new LinkedHashMap<>();
        for (List<ScoredChunk> list : lists) {
            for (int rank = 0; rank < list.size(); rank++) {
                ScoredChunk chunk = list.get(rank);
                chunks.putIfAbsent(chunk.chunkId(), chunk);
                scores.merge(chunk.chunkId(), 1.0 / (RRF_K + rank + 1), Double::sum);
            }
        }
        double best = lists.isEmpty() ? 1 : lists.size() * (1.0 / (RRF_K + 1));
        List<Fused> fused = new ArrayList<>();
        scores.forEach((id, score) -> fused.add(new Fused(chunks.get(id), Math.min(1, score / best))));
        fused.sort(Comparator.comparingDouble(Fused::score).reversed());
        return fused;
    }

    /** Chunks of one list, their own scores kept. */
    static List<Fused> asIs(List<ScoredChunk> list) {
        return list.stream().map(chunk -> new Fused(chunk, chunk.score())).toList();
    }
}
