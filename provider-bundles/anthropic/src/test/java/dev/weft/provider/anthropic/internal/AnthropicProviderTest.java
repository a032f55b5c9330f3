package dev.weft.provider.anthropic.internal;

import static dev.weft.provider.anthropic.internal.AnthropicContractTest.blockDelta;
import static dev.weft.provider.anthropic.internal.AnthropicContractTest.blockStart;
import static dev.weft.provider.anthropic.internal.AnthropicContractTest.blockStop;
import static dev.weft.provider.anthropic.internal.AnthropicContractTest.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.api.core.Secret;
import dev.weft.provider.contract.WireServer;
import dev.weft.provider.contract.WireServer.Recorded;
import dev.weft.provider.contract.WireServer.Reply;
import dev.weft.provider.testing.LoopbackHttp;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.ContentPart;
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
import dev.weft.spi.model.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Anthropic specifics the provider contract does not cover. */
class AnthropicProviderTest {

    private static final String KEY = "sk-ant-test-0123456789";
    private static final ToolSpec WEATHER = new ToolSpec("get_weather", "", Map.of("type", "object"));

    private WireServer server;
    private AnthropicProvider provider;
    private ProviderConfig config;

    @BeforeEach
    void start() throws IOException {
        server = new WireServer();
        provider = new AnthropicProvider(new LoopbackHttp());
        config = new ProviderConfig(Map.of("base_url", server.url()), Map.of("api_key", Secret.of(KEY)));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void modelsAreListedPageByPageAndTheKeyVerified() throws ModelException {
        server.reply(Reply.json(200, """
                {"data":[{"type":"model","id":"claude-sonnet-4-5","display_name":"Claude Sonnet 4.5","created_at":"2025-09-29T00:00:00Z"}],
                 "has_more":true,"first_id":"claude-sonnet-4-5","last_id":"claude-sonnet-4-5"}"""))
                .reply(Reply.json(200, """
                {"data":[{"type":"model","id":"claude-3-5-haiku-latest","display_name":"Claude Haiku 3.5"}],
                 "has_more":false,"first_id":"claude-3-5-haiku-latest","last_id":"claude-3-5-haiku-latest"}"""))
                .reply(Reply.json(200, "{\"data\":[],\"has_more\":false}"))
                .reply(Reply.json(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}"));

        List<ModelInfo> models = provider.models(config);
        assertThat(models).extracting(ModelInfo::id).containsExactly("claude-sonnet-4-5", "claude-3-5-haiku-latest");
        assertThat(models.getFirst().title()).isEqualTo("Claude Sonnet 4.5");
        assertThat(models).allSatisfy(m -> assertThat(m.type()).isEqualTo(ModelType.CHAT));
        provider.verify(config);
        assertThatThrownBy(() -> provider.verify(config)).isInstanceOf(NonRetriableModelException.AuthenticationFailed.class)
                .hasMessageContaining("invalid x-api-key").hasMessageNotContaining(KEY);

        List<Recorded> sent = server.requests();
        assertThat(sent).extracting(Recorded::target).containsExactly("/v1/models?limit=1000",
                "/v1/models?limit=1000&after_id=claude-sonnet-4-5", "/v1/models?limit=1", "/v1/models?limit=1");
        assertThat(sent).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.header("x-api-key")).isEqualTo(KEY);
            assertThat(r.header("anthropic-version")).isEqualTo("2023-06-01");
        });
    }

    @Test
    void aBaseUrlEndingInV1IsNotDoubled() throws ModelException {
        server.reply(Reply.json(200, "{\"data\":[],\"has_more\":false}"));
        provider.verify(new ProviderConfig(Map.of("base_url", server.url() + "/v1/"), Map.of("api_key", Secret.of(KEY))));
        assertThat(server.only().target()).isEqualTo("/v1/models?limit=1");
    }

    @Test
    void turnsOfOneRoleAreMergedAndSystemMessagesJoined() throws ModelException {
        server.reply(textReply());
        ChatRequest request = new ChatRequest(List.of(
                new ChatMessage.System("Be brief."),
                ChatMessage.User.of("Look:"),
                new ChatMessage.User(List.of(new ContentPart.Image("https://img.example/cat.jpg", "high"))),
                new ChatMessage.Assistant("Let me check both.", "hidden thoughts", List.of(
                        new ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}"), new ToolCall("toolu_2", "get_weather", ""))),
                new ChatMessage.ToolResult("toolu_1", "get_weather", "21C"),
                new ChatMessage.ToolResult("toolu_2", "get_weather", "18C"),
                new ChatMessage.System("Answer in French.")),
                List.of(WEATHER), ToolChoice.NONE, null, null, null);

        provider.chatModel(config, "claude-x").chat(request);

        assertThat(server.only().json()).isEqualTo(parse("""
                {"model":"claude-x","max_tokens":4096,"system":"Be brief.\\n\\nAnswer in French.",
                 "messages":[
                  {"role":"user","content":[{"type":"text","text":"Look:"},
                    {"type":"image","source":{"type":"url","url":"https://img.example/cat.jpg"}}]},
                  {"role":"assistant","content":[{"type":"text","text":"Let me check both."},
                    {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
                    {"type":"tool_use","id":"toolu_2","name":"get_weather","input":{}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"21C"},
                    {"type":"tool_result","tool_use_id":"toolu_2","content":"18C"}]}],
                 "tools":[{"name":"get_weather","input_schema":{"type":"object"}}],
                 "tool_choice":{"type":"none"}}"""));
    }

    @Test
    void extraParametersPassThroughAndThinkingRaisesTheDefaultLimit() throws ModelException {
        server.reply(textReply());
        ModelParameters parameters = new ModelParameters(null, null, null, null, 0.5, 0.5, 7L,
                Map.of("thinking", Map.of("type", "enabled", "budget_tokens", 2048), "top_k", 5, "model", "not-this-one"));
        provider.chatModel(config, "claude-x").chat(new ChatRequest(List.of(ChatMessage.User.of("Hi")), List.of(),
                ToolChoice.AUTO, parameters, null, null));

        assertThat(server.only().json()).isEqualTo(parse("""
                {"model":"claude-x","max_tokens":6144,"messages":[{"role":"user","content":"Hi"}],
                 "thinking":{"type":"enabled","budget_tokens":2048},"top_k":5}"""));
    }

    @Test
    void aJsonAnswerComesFromTheAnswerToolAsText() throws ModelException {
        ChatRequest request = new ChatRequest(List.of(ChatMessage.User.of("Weather or JSON?")), List.of(WEATHER),
                ToolChoice.AUTO, null, new ResponseFormat.JsonObject(), null);
        server.reply(Reply.json(200, """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-x",
                 "content":[{"type":"tool_use","id":"toolu_9","name":"json_answer","input":{"ok":true}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":10,"cache_creation_input_tokens":3,"cache_read_input_tokens":5,"output_tokens":4}}"""));
        server.reply(Reply.stream("text/event-stream", List.of(
                event("message_start", parse("{\"type\":\"message_start\",\"message\":{\"model\":\"claude-x\",\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}")),
                blockStart(0, parse("{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"json_answer\",\"input\":{}}")),
                blockDelta(0, parse("{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"ok\\\"\"}")),
                blockDelta(0, parse("{\"type\":\"input_json_delta\",\"partial_json\":\":true}\"}")),
                blockStop(0),
                event("message_delta", parse("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":4}}")),
                event("message_stop", parse("{\"type\":\"message_stop\"}")))));

        ChatResponse whole = provider.chatModel(config, "claude-x").chat(request);
        assertThat(parse(whole.message().text())).isEqualTo(parse("{\"ok\":true}"));
        assertThat(whole.message().toolCalls()).isEmpty();
        assertThat(whole.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(whole.usage()).as("cached prompt tokens count as prompt tokens").isEqualTo(new Usage(18, 4));
        JsonNode sent = server.requests().getFirst().json();
        assertThat(sent.path("tools")).extracting(JsonNode::toString).asString().contains("\"name\":\"get_weather\"")
                .contains("{\"name\":\"json_answer\",\"description\":\"Give the answer as a JSON object.\",\"input_schema\":{\"type\":\"object\"}}");
        assertThat(sent.path("tool_choice")).isEqualTo(parse("{\"type\":\"any\"}"));

        List<ChatEvent> events = new ArrayList<>();
        provider.chatModel(config, "claude-x").stream(request, events::add);
        assertThat(events).filteredOn(ChatEvent.TextDelta.class::isInstance).extracting(e -> ((ChatEvent.TextDelta) e).text())
                .containsExactly("{\"ok\"", ":true}");
        assertThat(events).noneMatch(ChatEvent.ToolCallDelta.class::isInstance);
        ChatResponse streamed = ((ChatEvent.Completed) events.getLast()).response();
        assertThat(streamed.message().text()).isEqualTo("{\"ok\":true}");
        assertThat(streamed.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void streamedToolCallsAreNumberedInTheirOwnOrderNotByContentBlock() throws ModelException {
        server.reply(Reply.stream("text/event-stream", List.of(
                event("message_start", parse("{\"type\":\"message_start\",\"message\":{\"model\":\"claude-x\",\"usage\":{\"input_tokens\":9,\"cache_read_input_tokens\":1,\"output_tokens\":1}}}")),
                blockStart(0, parse("{\"type\":\"text\",\"text\":\"\"}")),
                blockDelta(0, parse("{\"type\":\"text_delta\",\"text\":\"Checking.\"}")),
                blockStop(0),
                blockStart(1, parse("{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"get_weather\",\"input\":{}}")),
                blockDelta(1, parse("{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\\\"Rome\\\"}\"}")),
                blockStop(1),
                blockStart(2, parse("{\"type\":\"tool_use\",\"id\":\"toolu_b\",\"name\":\"get_weather\",\"input\":{}}")),
                blockStop(2),
                event("message_delta", parse("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":30}}")),
                event("message_stop", parse("{\"type\":\"message_stop\"}")))));

        List<ChatEvent> events = new ArrayList<>();
        provider.chatModel(config, "claude-x").stream(new ChatRequest(List.of(ChatMessage.User.of("Weather?")), List.of(WEATHER),
                ToolChoice.AUTO, null, null, null), events::add);

        assertThat(events).filteredOn(ChatEvent.ToolCallDelta.class::isInstance).containsExactly(
                new ChatEvent.ToolCallDelta(0, "toolu_a", "get_weather", ""),
                new ChatEvent.ToolCallDelta(0, null, null, "{\"city\":\"Rome\"}"),
                new ChatEvent.ToolCallDelta(1, "toolu_b", "get_weather", ""));
        ChatResponse whole = ((ChatEvent.Completed) events.getLast()).response();
        assertThat(whole.message().text()).isEqualTo("Checking.");
        assertThat(whole.message().toolCalls()).containsExactly(new ToolCall("toolu_a", "get_weather", "{\"city\":\"Rome\"}"),
                new ToolCall("toolu_b", "get_weather", "{}"));
        assertThat(whole.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(whole.usage()).isEqualTo(new Usage(10, 30));
    }

    @Test
    void anErrorEventInTheStreamFailsAsItsErrorTypeAfterWhatArrived() {
        List<String> head = List.of(
                event("message_start", parse("{\"type\":\"message_start\",\"message\":{\"model\":\"claude-x\",\"usage\":{\"input_tokens\":9}}}")),
                blockStart(0, parse("{\"type\":\"text\",\"text\":\"\"}")),
                blockDelta(0, parse("{\"type\":\"text_delta\",\"text\":\"Par\"}")));
        for (String type : List.of("overloaded_error", "rate_limit_error", "invalid_request_error")) {
            List<String> parts = new ArrayList<>(head);
            parts.add(event("error", parse("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"mid-stream " + type + "\"}}")));
            server.reply(Reply.stream("text/event-stream", parts));
        }
        ChatRequest request = ChatRequest.of(List.of(ChatMessage.User.of("Capital of France?")));

        List<ChatEvent> events = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> provider.chatModel(config, "claude-x").stream(request, events::add))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("mid-stream overloaded_error");
        assertThat(events).containsExactly(new ChatEvent.TextDelta("Par"));
        assertThatThrownBy(() -> provider.chatModel(config, "claude-x").stream(request, e -> { }))
                .isInstanceOfSatisfying(RetriableModelException.RateLimited.class, e -> assertThat(e.retryAfter()).isEmpty());
        assertThatThrownBy(() -> provider.chatModel(config, "claude-x").stream(request, e -> { }))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class);
    }

    @Test
    void refusalsBillingAndOverloadMapOntoTheTaxonomy() throws ModelException {
        server.reply(Reply.json(200, """
                {"type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":"refusal",
                 "usage":{"input_tokens":5,"output_tokens":0}}"""))
                .reply(Reply.json(400, "{\"type\":\"error\",\"error\":{\"type\":\"billing_error\",\"message\":\"Your credit balance is too low\"}}"))
                .reply(Reply.json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")
                        .withHeader("Retry-After", "3"))
                .reply(Reply.json(413, "{\"type\":\"error\",\"error\":{\"type\":\"request_too_large\",\"message\":\"too big\"}}"));
        ChatRequest request = ChatRequest.of(List.of(ChatMessage.User.of("Hi")));

        assertThat(provider.chatModel(config, "claude-x").chat(request).finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThatThrownBy(() -> provider.chatModel(config, "claude-x").chat(request))
                .isInstanceOf(NonRetriableModelException.QuotaExceeded.class).hasMessageContaining("credit balance");
        assertThatThrownBy(() -> provider.chatModel(config, "claude-x").chat(request))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("Overloaded");
        assertThatThrownBy(() -> provider.chatModel(config, "claude-x").chat(request))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("too big");
    }

    @Test
    void anImageThatIsNeitherHttpsNorBase64IsRefusedBeforeSending() {
        ChatRequest request = ChatRequest.of(List.of(new ChatMessage.User(List.of(new ContentPart.Image("http://img.example/a.png", null)))));
        assertThatThrownBy(() -> provider.chatModel(config, "claude-x").chat(request))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("https:");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void toolCallIdsOfOtherVendorsAreMadeSafeAndStillMatchTheirResults() throws ModelException {
        String gemini = "call_0#ts=c2ln+/=";
        String longId = "call_" + "x".repeat(80);
        server.reply(textReply());
        provider.chatModel(config, "claude-x").chat(ChatRequest.of(List.of(
                ChatMessage.User.of("Weather?"),
                new ChatMessage.Assistant("", "", List.of(new ToolCall(gemini, "get_weather", "{}"),
                        new ToolCall(longId, "get_weather", "{}"), new ToolCall("toolu_01Ab-c_9", "get_weather", "{}"))),
                new ChatMessage.ToolResult(gemini, "get_weather", "sun"),
                new ChatMessage.ToolResult(longId, "get_weather", "rain"),
                new ChatMessage.ToolResult("toolu_01Ab-c_9", "get_weather", "snow"))));

        JsonNode turns = server.only().json().path("messages");
        List<String> uses = new ArrayList<>();
        turns.path(1).path("content").forEach(block -> uses.add(block.path("id").asText()));
        List<String> results = new ArrayList<>();
        turns.path(2).path("content").forEach(block -> results.add(block.path("tool_use_id").asText()));
        assertThat(uses).containsExactlyElementsOf(results).allSatisfy(id -> assertThat(id).matches("[A-Za-z0-9_-]{1,64}"));
        assertThat(uses.get(0)).isEqualTo("call_0_ts_c2ln___");
        assertThat(uses.get(1)).startsWith("call_").isNotEqualTo(longId).isEqualTo(Wire.toolId(longId));
        assertThat(uses.get(2)).as("Anthropic's own ids pass unchanged").isEqualTo("toolu_01Ab-c_9");
    }

    @Test
    void earlierToolArgumentsWithTextAfterTheJsonAreRefusedBeforeSending() {
        ChatRequest request = ChatRequest.of(List.of(ChatMessage.User.of("Weather?"),
                new ChatMessage.Assistant("", "", List.of(new ToolCall("toolu_1", "get_weather", "{\"city\":\"Rome\"} and more"))),
                new ChatMessage.ToolResult("toolu_1", "get_weather", "sun")));
        assertThatThrownBy(() -> provider.chatModel(config, "claude-x").chat(request))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("not a JSON object");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void thinkingWithAForcedToolIsRefusedAndInAToolLoopLeftOut() throws ModelException {
        ModelParameters thinking = new ModelParameters(null, null, 8000, null, null, null, null,
                Map.of("thinking", Map.of("type", "enabled", "budget_tokens", 2048)));
        List<ChatMessage> question = List.of(ChatMessage.User.of("Weather in Rome?"));
        ChatRequest json = new ChatRequest(question, List.of(), ToolChoice.AUTO, thinking, new ResponseFormat.JsonObject(), null);
        ChatRequest required = new ChatRequest(question, List.of(WEATHER), ToolChoice.REQUIRED, thinking, null, null);
        assertThatThrownBy(() -> provider.chatModel(config, "claude-x").chat(json))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("JSON answer");
        assertThatThrownBy(() -> provider.chatModel(config, "claude-x").chat(required))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("REQUIRED");
        assertThat(server.requests()).isEmpty();

        List<ChatMessage> toolLoop = List.of(question.getFirst(),
                new ChatMessage.Assistant("", "Rome, so the tool.", List.of(new ToolCall("toolu_1", "get_weather", "{}"))),
                new ChatMessage.ToolResult("toolu_1", "get_weather", "sun"));
        List<ChatMessage> nextTurn = new ArrayList<>(toolLoop);
        nextTurn.add(new ChatMessage.Assistant("Sunny.", "", List.of()));
        nextTurn.add(ChatMessage.User.of("And Paris?"));
        server.reply(textReply()).reply(textReply());
        provider.chatModel(config, "claude-x").chat(new ChatRequest(toolLoop, List.of(WEATHER), ToolChoice.AUTO, thinking, null, null));
        provider.chatModel(config, "claude-x").chat(new ChatRequest(nextTurn, List.of(WEATHER), ToolChoice.AUTO, thinking, null, null));

        assertThat(server.requests().get(0).json().has("thinking")).as("a tool loop whose thinking block is lost").isFalse();
        assertThat(server.requests().get(1).json().path("thinking"))
                .isEqualTo(parse("{\"type\":\"enabled\",\"budget_tokens\":2048}"));
    }

    @Test
    void theKeyIsMaskedInErrorsEvenWhereTheMessageIsShortened() {
        server.reply(Reply.json(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"bad key "
                + KEY + "\"}}"));
        server.reply(Reply.json(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\""
                + "x".repeat(495) + KEY + "\"}}"));
        server.reply(Reply.json(502, "<html>proxy: upstream refused key " + KEY + "</html>"));
        ChatRequest request = ChatRequest.of(List.of(ChatMessage.User.of("Hi")));
        assertThatThrownBy(() -> provider.chatModel(config, "claude-x").chat(request))
                .isInstanceOf(NonRetriableModelException.AuthenticationFailed.class).hasMessageContaining("bad key [api key]")
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> provider.chatModel(config, "claude-x").chat(request))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageNotContaining(KEY.substring(0, 5));
        assertThatThrownBy(() -> provider.chatModel(config, "claude-x").chat(request))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("upstream refused key")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void embeddingsAndRerankAreNotAnthropics() {
        assertThat(provider.descriptor().id()).isEqualTo("anthropic");
        assertThat(provider.descriptor().modelTypes()).containsExactly(ModelType.CHAT);
        assertThatThrownBy(() -> provider.embeddingModel(config, "any")).isInstanceOf(NonRetriableModelException.InvalidRequest.class);
        assertThatThrownBy(() -> provider.rerankModel(config, "any")).isInstanceOf(NonRetriableModelException.InvalidRequest.class);
    }

    private static Reply textReply() {
        return Reply.json(200, """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[{"type":"text","text":"Oui."}],
                 "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":2}}""");
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) Wire.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
