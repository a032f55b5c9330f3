package dev.weft.provider.rerank.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.core.Secret;
import dev.weft.provider.contract.WireServer;
import dev.weft.provider.contract.WireServer.Reply;
import dev.weft.provider.testing.LoopbackHttp;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ModelType;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.RerankRequest;
import dev.weft.spi.model.RerankResponse;
import dev.weft.spi.model.RerankResponse.Hit;
import dev.weft.spi.model.RetriableModelException;
import dev.weft.spi.model.Usage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Vendor specifics the contract does not cover, against a loopback server. */
class RerankProviderTest {

    private static final String KEY = "sk-rerank-test-0123456789";
    private static final RerankRequest THREE = new RerankRequest("Where is Paris?",
            List.of("Paris is in France.", "Bananas are yellow.", "The Eiffel tower is in Paris."), 0);

    private WireServer server;
    private RerankProvider provider;
    private ProviderConfig config;

    @BeforeEach
    void start() throws IOException {
        server = new WireServer();
        provider = new RerankProvider(new LoopbackHttp());
        config = new ProviderConfig(Map.of("base_url", server.url() + "/v2/"), Map.of("api_key", Secret.of(KEY)));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void hitsOutOfOrderAreSortedBestFirstAndCohereUnitsAreNotTokens() throws ModelException {
        server.reply(Reply.json(200, """
                {"id":"07734bd2","results":[{"index":0,"relevance_score":0.32},{"index":2,"relevance_score":0.99},
                 {"index":1,"relevance_score":0.01}],
                 "meta":{"api_version":{"version":"2"},"billed_units":{"search_units":1}}}"""));

        RerankResponse response = provider.rerankModel(config, "rerank-v3.5").rerank(THREE);

        assertThat(response.hits()).containsExactly(new Hit(2, 0.99), new Hit(0, 0.32), new Hit(1, 0.01));
        assertThat(response.usage()).isEqualTo(Usage.NONE);
        assertThat(server.only().target()).isEqualTo("/v2/rerank");
        assertThat(server.only().json()).isEqualTo(parse("""
                {"model":"rerank-v3.5","query":"Where is Paris?",
                 "documents":["Paris is in France.","Bananas are yellow.","The Eiffel tower is in Paris."]}"""));
    }

    @Test
    void aServerThatIgnoresTopNIsCutToIt() throws ModelException {
        server.reply(Reply.json(200, """
                {"results":[{"index":0,"relevance_score":0.5},{"index":1,"relevance_score":0.1},{"index":2,"relevance_score":0.9}]}"""));

        RerankResponse response = provider.rerankModel(config, "m")
                .rerank(new RerankRequest(THREE.query(), THREE.documents(), 2));

        assertThat(response.hits()).containsExactly(new Hit(2, 0.9), new Hit(0, 0.5));
        assertThat(server.only().json().path("top_n").asInt()).isEqualTo(2);
    }

    @Test
    void anIndexOutsideTheRequestFailsClearly() {
        server.reply(Reply.json(200, "{\"results\":[{\"index\":0,\"relevance_score\":0.4},{\"index\":3,\"relevance_score\":0.9}]}"))
                .reply(Reply.json(200, "{\"results\":[{\"index\":-1,\"relevance_score\":0.4}]}"))
                .reply(Reply.json(200, "{\"results\":[{\"index\":1,\"relevance_score\":0.4},{\"index\":1,\"relevance_score\":0.3}]}"))
                .reply(Reply.json(200, "{\"data\":[]}"));

        assertThatThrownBy(() -> provider.rerankModel(config, "m").rerank(THREE))
                .isInstanceOf(RetriableModelException.Unavailable.class)
                .hasMessageContaining("names document index 3, but the request had 3 documents");
        assertThatThrownBy(() -> provider.rerankModel(config, "m").rerank(THREE))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("index -1");
        assertThatThrownBy(() -> provider.rerankModel(config, "m").rerank(THREE))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("scores document 1 twice");
        assertThatThrownBy(() -> provider.rerankModel(config, "m").rerank(THREE))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("no \"results\"");
    }

    @Test
    void jinaUsageIsReadAsTokensRead() throws ModelException {
        server.reply(Reply.json(200, """
                {"model":"jina-reranker-v2-base-multilingual","usage":{"total_tokens":815},
                 "results":[{"index":1,"document":{"text":"Bananas are yellow."},"relevance_score":0.2}]}"""))
                .reply(Reply.json(200, """
                {"usage":{"prompt_tokens":37,"completion_tokens":0},"results":[{"index":0,"relevance_score":0.2}]}"""));

        assertThat(provider.rerankModel(config, "jina-reranker-v2-base-multilingual").rerank(THREE).usage())
                .isEqualTo(new Usage(815, 0));
        assertThat(provider.rerankModel(config, "m").rerank(THREE).usage()).isEqualTo(new Usage(37, 0));
    }

    @Test
    void aMissingBaseUrlIsAClearError() {
        ProviderConfig none = new ProviderConfig(Map.of("model", "rerank-v3.5"), Map.of("api_key", Secret.of(KEY)));

        assertThatThrownBy(() -> provider.rerankModel(none, "rerank-v3.5"))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class)
                .hasMessageContaining("\"base_url\"").hasMessageContaining("https://api.cohere.com/v2");
        assertThatThrownBy(() -> provider.verify(none))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("\"base_url\"");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aBaseUrlEndingInTheRouteIsNotExtendedTwice() throws ModelException {
        ProviderConfig whole = new ProviderConfig(Map.of("base_url", server.url() + "/v1/rerank"), Map.of());
        server.reply(Reply.json(200, "{\"results\":[]}"));

        provider.rerankModel(whole, "m").rerank(THREE);

        assertThat(server.only().target()).isEqualTo("/v1/rerank");
        assertThat(server.only().header("Authorization")).as("no key, no header").isNull();
    }

    @Test
    void noDocumentsMeansNoHitsAndNoCall() throws ModelException {
        RerankResponse response = provider.rerankModel(config, "m").rerank(new RerankRequest("q", List.of(), 0));

        assertThat(response.hits()).isEmpty();
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void everyVendorsErrorShapeIsReadAndMapped() {
        record Case(int status, String body, Class<? extends ModelException> type, String message) {
        }
        List<Case> cases = List.of(
                new Case(400, "{\"id\":\"x\",\"message\":\"invalid request: list of documents must not be empty\"}",
                        NonRetriableModelException.InvalidRequest.class, "list of documents must not be empty"),
                new Case(422, "{\"detail\":[{\"loc\":[\"body\",\"query\"],\"msg\":\"field required\",\"type\":\"missing\"}]}",
                        NonRetriableModelException.InvalidRequest.class, "body.query: field required"),
                new Case(401, "{\"detail\":\"Invalid API key " + KEY + "\"}",
                        NonRetriableModelException.AuthenticationFailed.class, "Invalid API key [api key]"),
                new Case(403, "{\"error\":{\"message\":\"forbidden\",\"type\":\"permission_error\"}}",
                        NonRetriableModelException.AuthenticationFailed.class, "forbidden"),
                new Case(402, "{\"detail\":\"Insufficient balance\"}",
                        NonRetriableModelException.QuotaExceeded.class, "Insufficient balance"),
                new Case(404, "{\"error\":{\"message\":\"The model `nope` does not exist.\"}}",
                        NonRetriableModelException.ModelNotFound.class, "The model `nope` does not exist."),
                new Case(503, "upstream connect error", RetriableModelException.Unavailable.class, "upstream connect error"),
                new Case(529, "{\"message\":\"overloaded\"}", RetriableModelException.Unavailable.class, "overloaded"),
                new Case(504, "<html>Gateway Timeout</html>", RetriableModelException.Timeout.class, "Gateway Timeout"),
                new Case(499, "{\"id\":\"x\",\"message\":\"request cancelled\"}", RetriableModelException.Unavailable.class,
                        "request cancelled"),
                // the key at the point where a long message is cut: masked first, so no part of it remains
                new Case(400, "{\"message\":\"" + "x".repeat(495) + KEY + "\"}", NonRetriableModelException.InvalidRequest.class,
                        "xxx[api"));
        for (Case c : cases) {
            server.reply(Reply.json(c.status(), c.body()));
            assertThatThrownBy(() -> provider.rerankModel(config, "m").rerank(THREE)).as("HTTP %d", c.status())
                    .isInstanceOf(c.type()).hasMessageContaining("HTTP " + c.status()).hasMessageContaining(c.message())
                    .hasMessageNotContaining(KEY).hasMessageNotContaining(KEY.substring(0, 4));
        }

        server.reply(Reply.json(429, "{\"message\":\"You are using a Trial key\"}").withHeader("Retry-After", "7"));
        assertThatThrownBy(() -> provider.rerankModel(config, "m").rerank(THREE))
                .isInstanceOfSatisfying(RetriableModelException.RateLimited.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)))
                .hasMessageContaining("Trial key");
    }

    @Test
    void verifyScoresOneDocumentWithTheConfiguredModel() throws ModelException {
        ProviderConfig withModel = new ProviderConfig(Map.of("base_url", server.url() + "/v2", "model", "rerank-v3.5"),
                Map.of("api_key", Secret.of(KEY)));
        server.reply(Reply.json(200, "{\"results\":[{\"index\":0,\"relevance_score\":0.5}]}"));

        provider.verify(withModel);

        assertThat(server.only().header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(server.only().json()).isEqualTo(parse("""
                {"model":"rerank-v3.5","query":"connection check","documents":["connection check"],"top_n":1}"""));
    }

    @Test
    void verifyWithoutAModelLeavesTheChoiceToTheServerAndReportsItsRefusal() {
        server.reply(Reply.json(400, "{\"message\":\"invalid request: model is required\"}"));

        assertThatThrownBy(() -> provider.verify(config))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("model is required");
        assertThat(server.only().json().has("model")).isFalse();
    }

    @Test
    void verifyFailsOnRefusedCredentials() {
        server.reply(Reply.json(401, "{\"message\":\"invalid api token\"}"));

        assertThatThrownBy(() -> provider.verify(config)).isInstanceOf(NonRetriableModelException.AuthenticationFailed.class);
    }

    @Test
    void thereAreOnlyRerankModelsAndNoListing() {
        assertThat(provider.descriptor().id()).isEqualTo("rerank");
        assertThat(provider.descriptor().modelTypes()).containsExactly(ModelType.RERANK);
        assertThat(provider.models(config)).isEmpty();
        assertThatThrownBy(() -> provider.chatModel(config, "m")).isInstanceOf(NonRetriableModelException.InvalidRequest.class);
        assertThatThrownBy(() -> provider.embeddingModel(config, "m")).isInstanceOf(NonRetriableModelException.InvalidRequest.class);
        assertThat(server.requests()).isEmpty();
    }

    private static JsonNode parse(String json) {
        try {
            return RerankWire.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
