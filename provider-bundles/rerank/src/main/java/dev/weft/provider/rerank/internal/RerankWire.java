package dev.weft.provider.rerank.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.spi.model.RerankRequest;
import dev.weft.spi.model.RerankResponse;
import dev.weft.spi.model.RetriableModelException;
import dev.weft.spi.model.Usage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The common {@code /rerank} wire format: the request fields Cohere's v2 API and Jina's both accept
 * ({@code model}, {@code query}, {@code documents} as strings, {@code top_n}), and the
 * {@code results} list of {@code index} and {@code relevance_score} they both answer with.
 */
final class RerankWire {

    static final ObjectMapper JSON = new ObjectMapper();

    private RerankWire() {
    }

    /**
     * The request body. {@code model} is left out when blank, so that a server with a default
     * model (Jina, a vLLM or Infinity serving one model) picks its own; {@code top_n} is left out
     * when the request wants every document scored.
     */
    static ObjectNode request(String model, RerankRequest request) {
        ObjectNode body = JSON.createObjectNode();
        if (model != null && !model.isBlank()) {
            body.put("model", model);
        }
        body.put("query", request.query());
        ArrayNode documents = body.putArray("documents");
        request.documents().forEach(documents::add);
        if (request.topN() > 0) {
            body.put("top_n", request.topN());
        }
        return body;
    }

    /**
     * The hits of an answer, best first. The vendor's order is not trusted: hits are sorted by
     * score (ties keep the vendor's order) and cut to {@code topN} should a server return more.
     * Echoed documents are ignored, the index says which document a hit is.
     *
     * @param server names the server in failures
     * @throws RetriableModelException.Unavailable when the answer does not fit the request: no
     *     results, an index outside it or named twice, a score that is not a number
     */
    static RerankResponse response(JsonNode answer, RerankRequest request, String server)
            throws RetriableModelException.Unavailable {
        JsonNode results = answer.path("results");
        if (!results.isArray()) {
            throw new RetriableModelException.Unavailable("the rerank answer of " + server + " has no \"results\" list", null);
        }
        int count = request.documents().size();
        boolean[] seen = new boolean[count];
        List<RerankResponse.Hit> hits = new ArrayList<>();
        for (JsonNode result : results) {
            JsonNode index = result.path("index");
            JsonNode score = result.path("relevance_score");
            if (!index.isIntegralNumber() || !index.canConvertToInt()) {
                throw new RetriableModelException.Unavailable("the rerank answer of " + server
                        + " has a result without an integer \"index\"", null);
            }
            if (index.asInt() < 0 || index.asInt() >= count) {
                throw new RetriableModelException.Unavailable("the rerank answer of " + server + " names document index "
                        + index.asInt() + ", but the request had " + count + " documents", null);
            }
            if (seen[index.asInt()]) {
                throw new RetriableModelException.Unavailable("the rerank answer of " + server + " scores document "
                        + index.asInt() + " twice", null);
            }
            if (!score.isNumber()) {
                throw new RetriableModelException.Unavailable("the rerank answer of " + server + " gives document "
                        + index.asInt() + " no numeric relevance_score", null);
            }
            seen[index.asInt()] = true;
            hits.add(new RerankResponse.Hit(index.asInt(), score.asDouble()));
        }
        hits.sort(Comparator.comparingDouble(RerankResponse.Hit::score).reversed());
        if (request.topN() > 0 && hits.size() > request.topN()) {
            hits = hits.subList(0, request.topN());
        }
        return new RerankResponse(hits, usage(answer.path("usage")));
    }

    /**
     * The tokens read, where the server reports them as Jina does ({@code usage.total_tokens}, or
     * {@code usage.prompt_tokens}); rerank writes none. Cohere's {@code meta.billed_units.search_units}
     * count searches, not tokens, and are not reported.
     */
    static Usage usage(JsonNode usage) {
        long total = Math.max(0, usage.path("total_tokens").asLong(0));
        long prompt = Math.max(0, usage.path("prompt_tokens").asLong(0));
        long read = total > 0 ? total : prompt;
        return read > 0 ? new Usage(read, 0) : Usage.NONE;
    }
}
