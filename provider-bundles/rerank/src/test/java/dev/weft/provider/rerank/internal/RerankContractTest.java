package dev.weft.provider.rerank.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.api.core.Secret;
import dev.weft.api.http.OutboundHttp;
import dev.weft.provider.contract.ProviderContract;
import dev.weft.provider.contract.WireServer.Recorded;
import dev.weft.provider.contract.WireServer.Reply;
import dev.weft.spi.model.ModelProvider;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.RerankResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The provider contract over the common {@code /rerank} wire format: Jina's answer shape (with
 * its token usage) and Cohere's error shape. The provider has no chat models, so the contract's
 * chat part is skipped through {@link #chats()}; the chat methods it still asks for are never called.
 */
class RerankContractTest extends ProviderContract {

    private static final String MODEL = "jina-reranker-v2-base-multilingual";

    @Override
    protected ModelProvider provider(OutboundHttp http) {
        return new RerankProvider(http);
    }

    @Override
    protected ProviderConfig config(String serverUrl, Secret apiKey) {
        return new ProviderConfig(Map.of("base_url", serverUrl + "/v1"), Map.of("api_key", apiKey));
    }

    @Override
    protected boolean chats() {
        return false;
    }

    @Override
    protected String chatModel() {
        throw noChat();
    }

    @Override
    protected void assertChatRoute(Recorded request, boolean stream) {
        throw noChat();
    }

    @Override
    protected String expectedChatBody(Case c, boolean stream) {
        throw noChat();
    }

    @Override
    protected Reply chatReply(Answer answer) {
        throw noChat();
    }

    @Override
    protected Reply streamReply(Answer answer) {
        throw noChat();
    }

    private static UnsupportedOperationException noChat() {
        return new UnsupportedOperationException("the rerank provider has no chat models; chats() is false");
    }

    /** Cohere's error shape: {@code {"id": ..., "message": ...}}. */
    @Override
    protected Reply errorReply(int status, String message) {
        return Reply.json(status, json(Map.of("id", "5f1e0a2c-error", "message", message)));
    }

    @Override
    protected boolean reranks() {
        return true;
    }

    @Override
    protected String rerankModel() {
        return MODEL;
    }

    @Override
    protected void assertRerankRoute(Recorded request) {
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.target()).isEqualTo("/v1/rerank");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(request.header("Content-Type")).startsWith("application/json");
    }

    @Override
    protected String expectedRerankBody(String query, List<String> documents, int topN) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", MODEL);
        body.put("query", query);
        body.put("documents", documents);
        if (topN > 0) {
            body.put("top_n", topN);
        }
        return json(body);
    }

    /** Jina's answer: the model, token usage, and results best first. */
    @Override
    protected Reply rerankReply(List<RerankResponse.Hit> hits, int tokens) {
        ObjectNode body = JSON.createObjectNode().put("model", MODEL);
        if (tokens > 0) {
            body.putObject("usage").put("total_tokens", tokens);
        }
        ArrayNode results = body.putArray("results");
        for (RerankResponse.Hit hit : hits) {
            results.addObject().put("index", hit.index()).put("relevance_score", hit.score());
        }
        return Reply.json(200, json(body));
    }
}
