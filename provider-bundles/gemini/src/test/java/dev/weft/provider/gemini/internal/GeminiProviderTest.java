package dev.weft.provider.gemini.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.api.core.Secret;
import dev.weft.provider.contract.WireServer;
import dev.weft.provider.contract.WireServer.Reply;
import dev.weft.provider.testing.LoopbackHttp;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.ContentPart;
import dev.weft.spi.model.FinishReason;
import dev.weft.spi.model.ModelFeature;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the contract does not cover: the model list, verify, Gemini's own error shapes and request details. */
class GeminiProviderTest {

    private static final String KEY = "AIzaSy-test-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private WireServer server;
    private GeminiProvider provider;
    private ProviderConfig config;

    @BeforeEach
    void start() throws Exception {
        server = new WireServer();
        provider = new GeminiProvider(new LoopbackHttp());
        config = new ProviderConfig(Map.of("base_url", server.url() + "/"), Map.of("api_key", Secret.of(KEY)));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static JsonNode parse(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static ChatRequest ask(String text) {
        return ChatRequest.of(List.of(ChatMessage.User.of(text)));
    }

    private static String error(int code, String status, String message, String details) {
        return """
                {"error":{"code":%d,"message":"%s","status":"%s","details":[%s]}}""".formatted(code, message, status, details);
    }

    @Test
    void theDescriptorNamesTheSettingsAndTheSecretKey() {
        assertThat(provider.descriptor().id()).isEqualTo("gemini");
        assertThat(provider.descriptor().title()).isEqualTo("Google Gemini");
        assertThat(provider.descriptor().modelTypes()).containsExactlyInAnyOrder(ModelType.CHAT, ModelType.EMBEDDING);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) provider.descriptor().configSchema().get("properties");
        assertThat(properties.get("base_url")).containsEntry("default", "https://generativelanguage.googleapis.com");
        assertThat(properties.get("api_key")).containsEntry("secret", true);
    }

    @Test
    void modelsAreReadFromEveryPage() throws Exception {
        server.reply(Reply.json(200, """
                {"models":[
                  {"name":"models/gemini-2.5-flash","displayName":"Gemini 2.5 Flash","inputTokenLimit":1048576,
                   "outputTokenLimit":65536,"supportedGenerationMethods":["generateContent","countTokens"],"thinking":true},
                  {"name":"models/imagen-4.0-generate-001","supportedGenerationMethods":["predict"]}],
                 "nextPageToken":"page/2+"}"""));
        server.reply(Reply.json(200, """
                {"models":[{"name":"models/gemini-embedding-001","displayName":"Gemini Embedding 001","inputTokenLimit":2048,
                  "outputTokenLimit":1,"supportedGenerationMethods":["embedContent","countTextTokens"]}]}"""));

        List<ModelInfo> models = provider.models(config);

        assertThat(models).containsExactly(
                new ModelInfo("gemini-2.5-flash", ModelType.CHAT, "Gemini 2.5 Flash", 1048576, 65536, java.util.Set.of(ModelFeature.REASONING)),
                new ModelInfo("gemini-embedding-001", ModelType.EMBEDDING, "Gemini Embedding 001", 2048, 0, java.util.Set.of()));
        assertThat(server.requests()).extracting(WireServer.Recorded::target).containsExactly(
                "/v1beta/models?pageSize=1000", "/v1beta/models?pageSize=1000&pageToken=page%2F2%2B");
        assertThat(server.requests()).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.header("x-goog-api-key")).isEqualTo(KEY);
        });
    }

    @Test
    void verifyListsModelsAndAnInvalidKeyFailsAsAuthentication() throws Exception {
        server.reply(Reply.json(200, "{\"models\":[]}"));
        provider.verify(config);
        assertThat(server.only().target()).isEqualTo("/v1beta/models?pageSize=1");

        // Google answers a wrong key with 400, not 401; the ErrorInfo reason says what it is
        server.reply(Reply.json(400, error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                "{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\"}")));
        assertThatThrownBy(() -> provider.verify(config)).isInstanceOf(NonRetriableModelException.AuthenticationFailed.class)
                .hasMessageContaining("API key not valid").hasMessageNotContaining(KEY);
    }

    @Test
    void aRateLimitWithoutRetryAfterWaitsAsItsRetryInfoSays() {
        server.reply(Reply.json(429, error(429, "RESOURCE_EXHAUSTED", "Quota exceeded", """
                {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[]},
                {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"7.5s"}""")));
        assertThatThrownBy(() -> provider.chatModel(config, "gemini-2.5-flash").chat(ask("hi")))
                .isInstanceOfSatisfying(RetriableModelException.RateLimited.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofMillis(7500)));
    }

    @Test
    void aGatewayTimeoutAndAForbiddenKeyMapOntoTheTaxonomy() {
        server.reply(Reply.json(504, error(504, "DEADLINE_EXCEEDED", "Deadline expired", "")));
        server.reply(Reply.json(403, error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers", "")));
        assertThatThrownBy(() -> provider.chatModel(config, "gemini-2.5-flash").chat(ask("hi")))
                .isInstanceOf(RetriableModelException.Timeout.class).hasMessageContaining("Deadline expired");
        assertThatThrownBy(() -> provider.chatModel(config, "gemini-2.5-flash").chat(ask("hi")))
                .isInstanceOf(NonRetriableModelException.AuthenticationFailed.class);
    }

    @Test
    void anErrorInsideTheStreamFailsAfterWhatArrived() {
        server.reply(Reply.stream("text/event-stream", List.of(
                "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hel\"}]}}]}\r\n\r\n",
                "data: " + error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.", "") + "\r\n\r\n")));
        List<ChatEvent> events = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> provider.chatModel(config, "gemini-2.5-flash").stream(ask("hi"), events::add))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("overloaded");
        assertThat(events).containsExactly(new ChatEvent.TextDelta("Hel"));
    }

    @Test
    void aBlockedPromptIsContentFilteredAndAFilteredAnswerSaysSo() throws Exception {
        String blocked = "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"promptTokenCount\":8}}";
        server.reply(Reply.json(200, blocked)).reply(Reply.stream("text/event-stream", List.of("data: " + blocked + "\r\n\r\n")));
        assertThatThrownBy(() -> provider.chatModel(config, "gemini-2.5-flash").chat(ask("hi")))
                .isInstanceOf(NonRetriableModelException.ContentFiltered.class).hasMessageContaining("SAFETY");
        assertThatThrownBy(() -> provider.chatModel(config, "gemini-2.5-flash").stream(ask("hi"), event -> { }))
                .isInstanceOf(NonRetriableModelException.ContentFiltered.class);

        server.reply(Reply.json(200, """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"Well"}]},"finishReason":"RECITATION"}],
                 "usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":1}}"""));
        ChatResponse cut = provider.chatModel(config, "gemini-2.5-flash").chat(ask("hi"));
        assertThat(cut.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(cut.message().text()).isEqualTo("Well");
    }

    @Test
    void turnsOfOneRoleAreMergedAndToolResultsNamedAfterTheirCalls() throws Exception {
        server.reply(Reply.json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}]},\"finishReason\":\"STOP\"}]}"));
        ChatRequest request = ChatRequest.of(List.of(
                new ChatMessage.System("Be brief."),
                ChatMessage.User.of("Look at this."),
                new ChatMessage.User(List.of(new ContentPart.Image("https://example.com/cat.JPG?size=2", "high"))),
                new ChatMessage.Assistant("Checking.", "I should call both.", List.of(
                        new ToolCall("call_0", "weather", "{\"city\":\"Oslo\"}"),
                        new ToolCall("call_1", "clock", ""))),
                new ChatMessage.ToolResult("call_0", null, "sunny"),
                new ChatMessage.ToolResult("call_1", "clock", "[12, 30]"),
                new ChatMessage.System("Answer in English."),
                ChatMessage.User.of("So?")));

        provider.chatModel(config, "gemini-2.5-flash").chat(request);

        assertThat(server.only().json()).isEqualTo(parse("""
                {"contents":[
                  {"role":"user","parts":[{"text":"Look at this."},
                    {"fileData":{"mimeType":"image/jpeg","fileUri":"https://example.com/cat.JPG?size=2"}}]},
                  {"role":"model","parts":[{"text":"Checking."},
                    {"functionCall":{"name":"weather","args":{"city":"Oslo"}}},{"functionCall":{"name":"clock","args":{}}}]},
                  {"role":"user","parts":[{"functionResponse":{"name":"weather","response":{"result":"sunny"}}},
                    {"functionResponse":{"name":"clock","response":{"result":[12,30]}}},{"text":"So?"}]}],
                 "systemInstruction":{"parts":[{"text":"Be brief."},{"text":"Answer in English."}]}}"""));
    }

    @Test
    void aCallsThoughtSignatureTravelsInItsIdAndGoesBackOnTheCall() throws Exception {
        // a signature with the base64 characters no call id may hold: '+', '/' and '='
        String signature = "+/+/c2lnLTE=";
        String answerBody = """
                {"candidates":[{"content":{"role":"model","parts":[
                   {"functionCall":{"name":"weather","args":{"city":"Oslo"}},"thoughtSignature":"%s"},
                   {"functionCall":{"name":"weather","args":{"city":"Rome"}}}]},"finishReason":"STOP"}],
                 "usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":6,"thoughtsTokenCount":40}}""".formatted(signature);
        server.reply(Reply.json(200, answerBody)).reply(Reply.json(200, answerBody));
        ChatResponse answer = provider.chatModel(config, "gemini-3-pro-preview").chat(ask("Weather in Oslo and Rome?"));
        ChatResponse again = provider.chatModel(config, "gemini-3-pro-preview").chat(ask("Weather in Oslo and Rome?"));

        assertThat(answer.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(answer.usage().completionTokens()).isEqualTo(46);
        List<String> ids = answer.message().toolCalls().stream().map(ToolCall::id).toList();
        assertThat(ids.get(0)).matches("call_[A-Za-z0-9]{16}__ts_[A-Za-z0-9_-]+");
        assertThat(ids.get(1)).matches("call_[A-Za-z0-9]{16}");
        assertThat(again.message().toolCalls()).extracting(ToolCall::id).as("ids are not repeated across turns")
                .doesNotContainAnyElementsOf(ids).doesNotHaveDuplicates();

        server.reply(Reply.json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}]},\"finishReason\":\"STOP\"}]}"));
        provider.chatModel(config, "gemini-3-pro-preview").chat(ChatRequest.of(List.of(ask("Weather in Oslo and Rome?").messages().get(0),
                answer.message(),
                new ChatMessage.ToolResult(ids.get(0), "weather", "{\"celsius\":3}"),
                new ChatMessage.ToolResult(ids.get(1), "weather", "{\"celsius\":21}"))));

        assertThat(server.requests().get(2).json().path("contents").path(1)).isEqualTo(parse("""
                {"role":"model","parts":[
                  {"functionCall":{"name":"weather","args":{"city":"Oslo"}},"thoughtSignature":"%s"},
                  {"functionCall":{"name":"weather","args":{"city":"Rome"}}}]}""".formatted(signature)));
    }

    @Test
    void callIdsCarryAnySignatureInAnIdEveryVendorAccepts() {
        for (String signature : List.of("c2lnLTE=", "CiQBcsjafQ7fZ3Lr+ab/cw==", "AAAA", "/////w")) {
            String id = CallIds.of(signature);
            assertThat(id).matches("[A-Za-z0-9_-]{1,}");
            assertThat(java.util.Base64.getDecoder().decode(CallIds.signature(id)))
                    .isEqualTo(java.util.Base64.getDecoder().decode(signature));
        }
        assertThat(CallIds.signature(CallIds.of(""))).isNull();
        assertThat(CallIds.signature("toolu_01abc")).isNull();
    }

    @Test
    void toolResultsAndArgumentsAreReadAsJsonOnlyWhenNothingFollows() throws Exception {
        server.reply(Reply.json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}]},\"finishReason\":\"STOP\"}]}"));
        provider.chatModel(config, "gemini-2.5-flash").chat(ChatRequest.of(List.of(ask("Answer?").messages().get(0),
                new ChatMessage.Assistant("", "", List.of(new ToolCall("call_a", "answer", "{}"), new ToolCall("call_b", "answer", "{}"))),
                new ChatMessage.ToolResult("call_a", "answer", "42 is the answer"),
                new ChatMessage.ToolResult("call_b", "answer", " 42 "))));
        assertThat(server.only().json().path("contents").path(2)).isEqualTo(parse("""
                {"role":"user","parts":[{"functionResponse":{"name":"answer","response":{"result":"42 is the answer"}}},
                  {"functionResponse":{"name":"answer","response":{"result":42}}}]}"""));

        ChatRequest trailing = ChatRequest.of(List.of(ask("Answer?").messages().get(0),
                new ChatMessage.Assistant("", "", List.of(new ToolCall("call_a", "answer", "{\"q\":1} and more")))));
        assertThatThrownBy(() -> provider.chatModel(config, "gemini-2.5-flash").chat(trailing))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void percentEncodedImagesAreDecodedByteForByteAndBadOnesRefused() throws Exception {
        server.reply(Reply.json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}]},\"finishReason\":\"STOP\"}]}"));
        provider.chatModel(config, "gemini-2.5-flash").chat(ChatRequest.of(List.of(
                new ChatMessage.User(List.of(new ContentPart.Image("data:image/x-raw,%FF%00+a", null))))));
        // the bytes FF 00 '+' 'a': neither UTF-8 mangled nor '+' read as a space
        assertThat(server.only().json().path("contents").path(0).path("parts").path(0))
                .isEqualTo(parse("{\"inlineData\":{\"mimeType\":\"image/x-raw\",\"data\":\"/wArYQ==\"}}"));

        for (String url : List.of("data:image/png,%G1", "data:image/png,50%", "https://example.com/picture?id=7")) {
            ChatRequest request = ChatRequest.of(List.of(new ChatMessage.User(List.of(new ContentPart.Image(url, null)))));
            assertThatThrownBy(() -> provider.chatModel(config, "gemini-2.5-flash").chat(request)).as(url)
                    .isInstanceOf(NonRetriableModelException.InvalidRequest.class);
        }
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aBaseUrlWithTheApiVersionIsNotDoubled() throws Exception {
        for (String base : List.of("/v1beta", "/v1beta/", "/v1")) {
            ProviderConfig versioned = new ProviderConfig(Map.of("base_url", server.url() + base), Map.of("api_key", Secret.of(KEY)));
            server.reply(Reply.json(200, "{\"models\":[]}"));
            provider.verify(versioned);
        }
        assertThat(server.requests()).extracting(WireServer.Recorded::target).containsOnly("/v1beta/models?pageSize=1");
    }

    @Test
    void aCancelledRequestIsRetriableAndADailyQuotaIsNot() {
        server.reply(Reply.json(499, error(499, "CANCELLED", "The operation was cancelled.", "")));
        server.reply(Reply.json(429, error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota", """
                {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[
                  {"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests",
                   "quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier","quotaValue":"250"}]},
                {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"40s"}""")));
        assertThatThrownBy(() -> provider.chatModel(config, "gemini-2.5-flash").chat(ask("hi")))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("cancelled");
        assertThatThrownBy(() -> provider.chatModel(config, "gemini-2.5-flash").chat(ask("hi")))
                .isInstanceOf(NonRetriableModelException.QuotaExceeded.class).hasMessageContaining("exceeded your current quota");
    }

    @Test
    void extraParametersJsonModeAndToolChoiceNoneAreSentWhereGeminiReadsThem() throws Exception {
        server.reply(Reply.json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"{}\"}]},\"finishReason\":\"STOP\"}]}"));
        ChatRequest request = new ChatRequest(List.of(ChatMessage.User.of("JSON please")),
                List.of(new ToolSpec("clock", "", null)), ToolChoice.NONE,
                new ModelParameters(null, null, 64, null, 0.5, 0.25, 42L, Map.of(
                        "thinkingConfig", Map.of("thinkingBudget", 0), "maxOutputTokens", 9999,
                        "safetySettings", List.of(Map.of("category", "HARM_CATEGORY_HARASSMENT", "threshold", "BLOCK_NONE")))),
                new ResponseFormat.JsonObject(), "end-user-7");

        provider.chatModel(config, "models/gemini-2.5-flash").chat(request);

        assertThat(server.only().target()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(server.only().json()).isEqualTo(parse("""
                {"contents":[{"role":"user","parts":[{"text":"JSON please"}]}],
                 "tools":[{"functionDeclarations":[{"name":"clock","parametersJsonSchema":{"type":"object"}}]}],
                 "toolConfig":{"functionCallingConfig":{"mode":"NONE"}},
                 "safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_NONE"}],
                 "generationConfig":{"maxOutputTokens":64,"seed":42,"presencePenalty":0.5,"frequencyPenalty":0.25,
                   "responseMimeType":"application/json","thinkingConfig":{"thinkingBudget":0}}}"""));
    }

    @Test
    void anEmbeddingAnswerWithAVectorMissingFailsAsRetriable() {
        server.reply(Reply.json(200, "{\"embeddings\":[{\"values\":[0.1,0.2]}]}"));
        assertThatThrownBy(() -> provider.embeddingModel(config, "gemini-embedding-001")
                .embed(new dev.weft.spi.model.EmbeddingRequest(List.of("a", "b"), null)))
                .isInstanceOf(RetriableModelException.Unavailable.class);
    }

    @Test
    void thereAreNoRerankModels() {
        assertThatThrownBy(() -> provider.rerankModel(config, "any")).isInstanceOf(NonRetriableModelException.InvalidRequest.class);
    }
}
