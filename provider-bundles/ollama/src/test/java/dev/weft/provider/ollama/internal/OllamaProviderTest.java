package dev.weft.provider.ollama.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.core.Secret;
import dev.weft.provider.contract.WireServer;
import dev.weft.provider.contract.WireServer.Reply;
import dev.weft.provider.testing.LoopbackHttp;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.ContentPart;
import dev.weft.spi.model.EmbeddingRequest;
import dev.weft.spi.model.FinishReason;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ModelInfo;
import dev.weft.spi.model.ModelParameters;
import dev.weft.spi.model.ModelType;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.ResponseFormat;
import dev.weft.spi.model.RetriableModelException;
import dev.weft.spi.model.ToolCall;
import dev.weft.spi.model.ToolChoice;
import dev.weft.spi.model.ToolSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ollama specifics the provider contract does not cover. */
class OllamaProviderTest {

    private static final String DONE = "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
            + "\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":3,\"eval_count\":1}";

    private WireServer server;
    private OllamaProvider provider;

    @BeforeEach
    void start() throws IOException {
        server = new WireServer();
        provider = new OllamaProvider(new LoopbackHttp());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private ProviderConfig config(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.putIfAbsent("base_url", server.url());
        return new ProviderConfig(all, Map.of("api_key", Secret.of("sk-ollama-secret")));
    }

    private ProviderConfig config() {
        return config(Map.of());
    }

    private static ChatRequest ask(String text) {
        return ChatRequest.of(List.of(ChatMessage.User.of(text)));
    }

    private static JsonNode parse(String json) {
        try {
            return Wire.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void modelsAreListedWithEmbeddingModelsToldApartAndVerifyListsThem() throws ModelException {
        String tags = """
                {"models":[
                 {"name":"llama3.2:latest","model":"llama3.2:latest","details":{"family":"llama","families":["llama"]}},
                 {"name":"nomic-embed-text:latest","model":"nomic-embed-text:latest","details":{"family":"nomic-bert"}},
                 {"name":"all-minilm:l6-v2","model":"all-minilm:l6-v2","details":{"family":"bert","families":["bert"]}},
                 {"name":"qwen3-embedding:0.6b","model":"qwen3-embedding:0.6b","details":{"family":"qwen3"}}]}""";
        server.reply(Reply.json(200, tags)).reply(Reply.json(200, tags)).reply(Reply.json(401, "{\"error\":\"unauthorized\"}"));

        List<ModelInfo> models = provider.models(config());
        assertThat(models).extracting(ModelInfo::id)
                .containsExactly("llama3.2:latest", "nomic-embed-text:latest", "all-minilm:l6-v2", "qwen3-embedding:0.6b");
        assertThat(models).extracting(ModelInfo::type)
                .containsExactly(ModelType.CHAT, ModelType.EMBEDDING, ModelType.EMBEDDING, ModelType.EMBEDDING);

        provider.verify(config());
        assertThatThrownBy(() -> provider.verify(config())).isInstanceOf(NonRetriableModelException.AuthenticationFailed.class)
                .hasMessageContaining("unauthorized").hasMessageNotContaining("sk-ollama-secret");
        assertThat(server.requests()).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.target()).isEqualTo("/api/tags");
            assertThat(request.header("Authorization")).isEqualTo("Bearer sk-ollama-secret");
        });
    }

    @Test
    void aBaseUrlEndingInApiIsTheServersRootAndNoKeyMeansNoAuthorization() throws ModelException {
        server.reply(Reply.json(200, DONE));
        ProviderConfig keyless = new ProviderConfig(Map.of("base_url", server.url() + "/api/"), Map.of());

        provider.chatModel(keyless, "m").chat(ask("hi"));

        assertThat(server.only().target()).isEqualTo("/api/chat");
        assertThat(server.only().header("Authorization")).isNull();
    }

    @Test
    void keepAliveGivenAsAWholeNumberIsSentAsSeconds() throws ModelException {
        server.reply(Reply.json(200, DONE)).reply(Reply.json(200, DONE));

        provider.chatModel(config(Map.of("keep_alive", "-1")), "m").chat(ask("hi"));
        provider.chatModel(config(Map.of("keep_alive", 300)), "m").chat(ask("hi"));

        assertThat(server.requests().get(0).json().path("keep_alive")).isEqualTo(parse("-1"));
        assertThat(server.requests().get(1).json().path("keep_alive")).isEqualTo(parse("300"));
    }

    @Test
    void toolChoiceNoneLeavesTheToolsOutAndVendorExtrasGoWhereOllamaReadsThem() throws ModelException {
        server.reply(Reply.json(200, DONE));
        ToolSpec tool = new ToolSpec("get_time", "", Map.of("type", "object"));
        ChatRequest request = new ChatRequest(List.of(ChatMessage.User.of("hi")), List.of(tool), ToolChoice.NONE,
                new ModelParameters(null, null, null, null, 0.5, 0.25, 7L, Map.of("think", "high", "top_k", 20, "seed", 99)),
                new ResponseFormat.JsonObject(), "user-1");

        provider.chatModel(config(), "m").chat(request);

        assertThat(server.only().json()).isEqualTo(parse("""
                {"model":"m","messages":[{"role":"user","content":"hi"}],"stream":false,"format":"json",
                 "options":{"seed":7,"presence_penalty":0.5,"frequency_penalty":0.25,"top_k":20},"think":"high"}"""));
    }

    @Test
    void imagesAreSentAsBareBase64AndAnImageByHttpsUrlIsRefusedBeforeAnythingIsSent() throws ModelException {
        server.reply(Reply.json(200, DONE));
        ChatRequest percentEncoded = ChatRequest.of(List.of(new ChatMessage.User(List.of(new ContentPart.Text("Look"),
                new ContentPart.Text("closely"), new ContentPart.Image("data:text/plain,hi%21", null)))));

        provider.chatModel(config(), "m").chat(percentEncoded);
        assertThat(server.only().json().path("messages").get(0)).isEqualTo(parse("""
                {"role":"user","content":"Look\\nclosely","images":["aGkh"]}"""));

        ChatRequest byUrl = ChatRequest.of(List.of(new ChatMessage.User(List.of(new ContentPart.Text("Look"),
                new ContentPart.Image("https://img.example/cat.png?sig=abc", "high")))));
        assertThatThrownBy(() -> provider.chatModel(config(), "m").chat(byUrl))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class)
                .hasMessageContaining("https: URL").hasMessageContaining("data: URL").hasMessageNotContaining("sig=abc");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void earlierToolArgumentsThatAreNoJsonObjectAreRefused() {
        ChatRequest request = ChatRequest.of(List.of(ChatMessage.User.of("hi"),
                new ChatMessage.Assistant("", "", List.of(new ToolCall("call_0", "get_time", "[1,2]"))),
                new ChatMessage.ToolResult("call_0", "get_time", "noon")));
        assertThatThrownBy(() -> provider.chatModel(config(), "m").chat(request))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("get_time");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void anErrorLineMidStreamFailsAsRetriableAfterWhatArrived() {
        server.reply(Reply.stream("application/x-ndjson", List.of(
                "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Par\"},\"done\":false}\n",
                "{\"error\":\"an error was encountered while running the model: unexpected EOF\"}\n")));
        List<ChatEvent> events = new ArrayList<>();

        assertThatThrownBy(() -> provider.chatModel(config(), "m").stream(ask("hi"), events::add))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("unexpected EOF");
        assertThat(events).containsExactly(new ChatEvent.TextDelta("Par"));
    }

    @Test
    void earlierToolArgumentsWithTextAfterTheJsonAreRefused() {
        ChatRequest request = ChatRequest.of(List.of(ChatMessage.User.of("hi"),
                new ChatMessage.Assistant("", "", List.of(new ToolCall("call_0", "get_time", "{\"tz\":\"UTC\"} please"))),
                new ChatMessage.ToolResult("call_0", "get_time", "noon")));
        assertThatThrownBy(() -> provider.chatModel(config(), "m").chat(request))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("get_time");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aDataUrlThatIsNotValidlyPercentEncodedIsRefusedBeforeSending() {
        for (String url : List.of("data:image/png,%G1", "data:image/png,50%")) {
            ChatRequest request = ChatRequest.of(List.of(new ChatMessage.User(List.of(new ContentPart.Image(url, null)))));
            assertThatThrownBy(() -> provider.chatModel(config(), "m").chat(request)).as(url)
                    .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("percent-encoded");
            assertThatThrownBy(() -> provider.chatModel(config(), "m").stream(request, event -> { })).as(url)
                    .isInstanceOf(NonRetriableModelException.InvalidRequest.class);
        }
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aWholeAnswerWithoutDoneIsIncomplete() {
        server.reply(Reply.json(200, "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Par\"},\"done\":false}"));
        assertThatThrownBy(() -> provider.chatModel(config(), "m").chat(ask("hi")))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("incomplete answer");
    }

    @Test
    void theKeyIsMaskedInErrorsEvenWhereTheMessageIsShortened() {
        String key = "ollama-proxy-key-0123456789";
        ProviderConfig keyed = new ProviderConfig(Map.of("base_url", server.url()), Map.of("api_key", Secret.of(key)));
        server.reply(Reply.json(401, "{\"error\":\"" + "x".repeat(495) + key + "\"}"))
                .reply(Reply.json(502, "<html>upstream refused key " + key + "</html>"))
                .reply(Reply.stream("application/x-ndjson", List.of("{\"error\":\"key " + key + " revoked\"}\n")));
        assertThatThrownBy(() -> provider.chatModel(keyed, "m").chat(ask("hi")))
                .isInstanceOf(NonRetriableModelException.AuthenticationFailed.class).hasMessageNotContaining(key.substring(0, 6));
        assertThatThrownBy(() -> provider.chatModel(keyed, "m").chat(ask("hi")))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("upstream refused key [api key]")
                .hasMessageNotContaining(key);
        assertThatThrownBy(() -> provider.chatModel(keyed, "m").stream(ask("hi"), event -> { }))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("revoked").hasMessageNotContaining(key);
    }

    @Test
    void severalStreamedToolCallsAreNumberedInOrderWithIdsOfTheirOwn() throws ModelException {
        server.reply(Reply.stream("application/x-ndjson", List.of(
                "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":["
                        + "{\"function\":{\"name\":\"a\",\"arguments\":{\"x\":1}}}]},\"done\":false}\n",
                "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":["
                        + "{\"function\":{\"name\":\"b\",\"arguments\":{}}}]},\"done\":false}\n",
                "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\","
                        + "\"prompt_eval_count\":9,\"eval_count\":4}\n")));
        List<ChatEvent> events = new ArrayList<>();

        provider.chatModel(config(), "m").stream(ask("hi"), events::add);

        List<ChatEvent.ToolCallDelta> deltas = events.stream().filter(ChatEvent.ToolCallDelta.class::isInstance)
                .map(ChatEvent.ToolCallDelta.class::cast).toList();
        assertThat(events).hasSize(3);
        assertThat(deltas).extracting(ChatEvent.ToolCallDelta::index).containsExactly(0, 1);
        assertThat(deltas).extracting(ChatEvent.ToolCallDelta::name).containsExactly("a", "b");
        List<String> ids = deltas.stream().map(ChatEvent.ToolCallDelta::id).toList();
        assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).matches("call_[A-Za-z0-9]{16}"));
        ChatResponse whole = ((ChatEvent.Completed) events.getLast()).response();
        assertThat(whole.message().toolCalls()).containsExactly(new ToolCall(ids.get(0), "a", "{\"x\":1}"),
                new ToolCall(ids.get(1), "b", "{}"));
        assertThat(whole.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);

        // the same answer again: new ids, not the ones of the turn before
        server.reply(Reply.json(200, "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":["
                + "{\"function\":{\"name\":\"a\",\"arguments\":{\"x\":1}}}]},\"done\":true,\"done_reason\":\"stop\"}"));
        ChatResponse again = provider.chatModel(config(), "m").chat(ask("hi"));
        assertThat(again.message().toolCalls()).singleElement()
                .satisfies(call -> assertThat(call.id()).matches("call_[A-Za-z0-9]{16}").isNotIn(ids));
    }

    @Test
    void serverFailuresBeyondTheContractMapOntoTheTaxonomy() {
        server.reply(Reply.json(403, "{\"error\":\"forbidden\"}")).reply(Reply.json(502, "<html>Bad Gateway</html>"))
                .reply(Reply.json(200, "{\"model\":\"e\",\"embeddings\":[[0.1]]}"));
        assertThatThrownBy(() -> provider.chatModel(config(), "m").chat(ask("hi")))
                .isInstanceOf(NonRetriableModelException.AuthenticationFailed.class).hasMessageContaining("forbidden");
        assertThatThrownBy(() -> provider.chatModel(config(), "m").chat(ask("hi")))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("Bad Gateway");
        assertThatThrownBy(() -> provider.embeddingModel(config(), "e")
                .embed(new EmbeddingRequest(List.of("a", "b"), EmbeddingRequest.Purpose.DOCUMENT)))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("1 embeddings for 2 texts");
    }

    @Test
    void thereAreNoRerankModels() {
        assertThatThrownBy(() -> provider.rerankModel(config(), "any")).isInstanceOf(NonRetriableModelException.InvalidRequest.class);
        assertThat(provider.descriptor().id()).isEqualTo("ollama");
        assertThat(provider.descriptor().modelTypes()).containsExactlyInAnyOrder(ModelType.CHAT, ModelType.EMBEDDING);
    }
}
