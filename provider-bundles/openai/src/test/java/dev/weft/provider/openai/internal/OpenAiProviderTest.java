package dev.weft.provider.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.core.Secret;
import dev.weft.provider.testing.FakeOpenAiServer;
import dev.weft.provider.testing.FakeOpenAiServer.Scripted;
import dev.weft.provider.testing.LoopbackHttp;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.ContentPart;
import dev.weft.spi.model.EmbeddingRequest;
import dev.weft.spi.model.EmbeddingResponse;
import dev.weft.spi.model.FinishReason;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ModelParameters;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.ResponseFormat;
import dev.weft.spi.model.RetriableModelException;
import dev.weft.spi.model.ToolChoice;
import dev.weft.spi.model.ToolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The provider against a fake server that speaks OpenAI's wire format, asserting the JSON it sends. */
class OpenAiProviderTest {

    private FakeOpenAiServer server;
    private OpenAiProvider provider;
    private ProviderConfig config;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAiServer();
        provider = new OpenAiProvider(new LoopbackHttp());
        config = new ProviderConfig(Map.of("base_url", server.baseUrl() + "/"), Map.of("api_key", Secret.of("sk-test-key")));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static ChatRequest request() {
        return new ChatRequest(List.of(new ChatMessage.System("Be brief."), ChatMessage.User.of("Hello?")), List.of(),
                ToolChoice.AUTO, new ModelParameters(0.2, null, 100, List.of("END"), null, null, 7L, Map.of()), null, "u-1");
    }

    @Test
    void aChatIsSentInOpenAisShapeAndItsAnswerRead() throws ModelException {
        ChatResponse response = provider.chatModel(config, "gpt-4o-mini").chat(request());

        assertThat(response.message().text()).isEqualTo(FakeOpenAiServer.DEFAULT_ANSWER);
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.usage().totalTokens()).isPositive();
        FakeOpenAiServer.Request sent = server.requests().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-test-key");
        assertThat(sent.json()).isEqualTo(parse("""
                {"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello?"}],
                 "temperature":0.2,"max_tokens":100,"stop":["END"],"seed":7,"user":"u-1"}"""));
    }

    @Test
    void aStreamDeliversPiecesThenTheWholeAnswer() throws ModelException {
        List<ChatEvent> events = new ArrayList<>();
        provider.chatModel(config, "gpt-4o-mini").stream(request(), events::add);

        StringBuilder text = new StringBuilder();
        events.stream().filter(ChatEvent.TextDelta.class::isInstance).forEach(e -> text.append(((ChatEvent.TextDelta) e).text()));
        assertThat(text.toString()).isEqualTo(FakeOpenAiServer.DEFAULT_ANSWER);
        assertThat(events).filteredOn(ChatEvent.TextDelta.class::isInstance).hasSizeGreaterThan(2);
        ChatEvent.Completed last = (ChatEvent.Completed) events.get(events.size() - 1);
        assertThat(last.response().message().text()).isEqualTo(FakeOpenAiServer.DEFAULT_ANSWER);
        assertThat(last.response().usage().promptTokens()).isPositive();
        JsonNode sent = server.requests().get(0).json();
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void offeredToolsAreCalledWithStreamedArguments() throws ModelException {
        ToolSpec weather = new ToolSpec("get_weather", "The weather in a city", Map.of("type", "object",
                "properties", Map.of("city", Map.of("type", "string"), "days", Map.of("type", "integer")),
                "required", List.of("city")));
        ChatRequest withTools = new ChatRequest(List.of(ChatMessage.User.of("Weather in Paris?")), List.of(weather),
                ToolChoice.REQUIRED, null, null, null);
        ChatResponse whole = provider.chatModel(config, "m").chat(withTools);
        assertThat(whole.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(whole.message().toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(parse(call.arguments())).isEqualTo(parse("{\"city\":\"sample\",\"days\":1}"));
        });
        JsonNode sent = server.requests().get(0).json();
        assertThat(sent.path("tool_choice").asText()).isEqualTo("required");
        assertThat(sent.path("tools").get(0)).isEqualTo(parse("""
                {"type":"function","function":{"name":"get_weather","description":"The weather in a city",
                 "parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city"]}}}"""));

        List<ChatEvent> events = new ArrayList<>();
        provider.chatModel(config, "m").stream(withTools, events::add);
        assertThat(events).filteredOn(ChatEvent.ToolCallDelta.class::isInstance).hasSizeGreaterThan(1);
        ChatResponse streamed = ((ChatEvent.Completed) events.get(events.size() - 1)).response();
        assertThat(streamed.message().toolCalls()).singleElement()
                .satisfies(call -> assertThat(parse(call.arguments())).isEqualTo(parse("{\"city\":\"sample\",\"days\":1}")));
    }

    @Test
    void structuredOutputAndImagesAreSentAsOpenAiExpects() throws ModelException {
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("score", Map.of("type", "number")),
                "required", List.of("score"));
        ChatRequest request = new ChatRequest(List.of(new ChatMessage.User(List.of(new ContentPart.Text("Rate this"),
                new ContentPart.Image("https://img.example/a.png", "high")))), List.of(), null, null,
                new ResponseFormat.JsonSchema("rating", schema, true), null);
        ChatResponse response = provider.chatModel(config, "m").chat(request);
        assertThat(parse(response.message().text())).isEqualTo(parse("{\"score\":1.5}"));
        JsonNode sent = server.requests().get(0).json();
        assertThat(sent.path("response_format")).isEqualTo(parse("""
                {"type":"json_schema","json_schema":{"name":"rating","schema":{"type":"object",
                 "properties":{"score":{"type":"number"}},"required":["score"]},"strict":true}}"""));
        assertThat(sent.path("messages").get(0).path("content")).isEqualTo(parse("""
                [{"type":"text","text":"Rate this"},{"type":"image_url","image_url":{"url":"https://img.example/a.png","detail":"high"}}]"""));
    }

    @Test
    void theKeyIsMaskedInErrorsEvenWhereTheMessageIsShortened() {
        server.then(Scripted.error(401, "{\"error\":{\"message\":\"" + "x".repeat(495) + "sk-test-key\"}}"))
                .then(Scripted.error(502, "<html>gateway refused sk-test-key</html>"));
        assertThatThrownBy(() -> provider.chatModel(config, "m").chat(request()))
                .isInstanceOf(NonRetriableModelException.AuthenticationFailed.class).hasMessageNotContaining("sk-t");
        assertThatThrownBy(() -> provider.chatModel(config, "m").chat(request()))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("gateway refused [api key]")
                .hasMessageNotContaining("sk-test-key");
    }

    @Test
    void vendorFailuresMapOntoTheTaxonomy() {
        server.then(Scripted.error(400, "{\"error\":{\"message\":\"bad param\",\"type\":\"invalid_request_error\"}}"))
                .then(Scripted.error(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-te****\"}}"))
                .then(Scripted.error(404, "{\"error\":{\"message\":\"The model `nope` does not exist\"}}"))
                .then(Scripted.error(429, "{\"error\":{\"message\":\"Rate limit\"}}", Map.of("Retry-After", "2")))
                .then(Scripted.error(429, "{\"error\":{\"message\":\"You exceeded your quota\",\"code\":\"insufficient_quota\"}}"))
                .then(Scripted.error(500, "{\"error\":{\"message\":\"boom\"}}"))
                .then(Scripted.error(529, "overloaded"));
        assertThatThrownBy(() -> provider.chatModel(config, "m").chat(request()))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("bad param");
        assertThatThrownBy(() -> provider.chatModel(config, "m").chat(request()))
                .isInstanceOf(NonRetriableModelException.AuthenticationFailed.class).hasMessageNotContaining("sk-test-key");
        assertThatThrownBy(() -> provider.chatModel(config, "m").chat(request()))
                .isInstanceOf(NonRetriableModelException.ModelNotFound.class);
        assertThatThrownBy(() -> provider.chatModel(config, "m").stream(request(), e -> { }))
                .isInstanceOfSatisfying(RetriableModelException.RateLimited.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(2)));
        assertThatThrownBy(() -> provider.chatModel(config, "m").chat(request()))
                .isInstanceOf(NonRetriableModelException.QuotaExceeded.class);
        assertThatThrownBy(() -> provider.chatModel(config, "m").chat(request()))
                .isInstanceOf(RetriableModelException.Unavailable.class);
        assertThatThrownBy(() -> provider.chatModel(config, "m").chat(request()))
                .isInstanceOf(RetriableModelException.Unavailable.class);
    }

    @Test
    void aStreamThatBreaksOffIsAFailureThatMayPass() {
        server.then(Scripted.truncated(3));
        List<ChatEvent> events = new ArrayList<>();
        assertThatThrownBy(() -> provider.chatModel(config, "m").stream(request(), events::add))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("ended before");
        assertThat(events).noneMatch(ChatEvent.Completed.class::isInstance);
    }

    @Test
    void aSlowStreamArrivesPieceByPiece() throws ModelException {
        server.then(Scripted.slow(Duration.ofMillis(100)));
        List<Long> arrivals = new ArrayList<>();
        long started = System.nanoTime();
        provider.chatModel(config, "m").stream(request(), e -> arrivals.add((System.nanoTime() - started) / 1_000_000));
        assertThat(arrivals.get(arrivals.size() - 1) - arrivals.get(0)).isGreaterThan(300);
    }

    @Test
    void embeddingsComeBackInTheOrderOfTheTexts() throws ModelException {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            texts.add("text number " + i);
        }
        EmbeddingResponse response = provider.embeddingModel(config, "text-embedding-3-small")
                .embed(new EmbeddingRequest(texts, EmbeddingRequest.Purpose.DOCUMENT));
        assertThat(response.vectors()).hasSize(70);
        assertThat(response.dimensions()).isEqualTo(8);
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(0).json().path("input")).hasSize(64);
        assertThat(server.requests().get(0).json().path("model").asText()).isEqualTo("text-embedding-3-small");
    }

    @Test
    void modelsAreListedAndCredentialsVerified() throws ModelException {
        assertThat(provider.models(config)).extracting(m -> m.id()).containsExactly("fake-chat", "fake-embed");
        provider.verify(config);
        server.then(Scripted.error(401, "{\"error\":{\"message\":\"bad key\"}}"));
        assertThatThrownBy(() -> provider.verify(config)).isInstanceOf(NonRetriableModelException.AuthenticationFailed.class);
    }

    private static JsonNode parse(String json) {
        try {
            return Wire.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
