package dev.weft.provider.gemini.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.api.core.Secret;
import dev.weft.api.http.OutboundHttp;
import dev.weft.provider.contract.ProviderContract;
import dev.weft.provider.contract.WireServer.Recorded;
import dev.weft.provider.contract.WireServer.Reply;
import dev.weft.spi.model.EmbeddingRequest;
import dev.weft.spi.model.FinishReason;
import dev.weft.spi.model.ModelProvider;
import dev.weft.spi.model.ProviderConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The provider contract over Gemini's Generative Language API (v1beta) wire format. */
class GeminiContractTest extends ProviderContract {

    static final String MODEL = "gemini-2.5-flash";
    /** A thought signature as thinking models attach it to a function call. */
    static final String SIGNATURE = "CiQBcsjafQ7fZ3Lr+ab/cd==";

    @Override
    protected ModelProvider provider(OutboundHttp http) {
        return new GeminiProvider(http);
    }

    @Override
    protected ProviderConfig config(String serverUrl, Secret apiKey) {
        return new ProviderConfig(Map.of("base_url", serverUrl), Map.of("api_key", apiKey));
    }

    @Override
    protected String chatModel() {
        return MODEL;
    }

    @Override
    protected void assertChatRoute(Recorded request, boolean stream) {
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.target()).isEqualTo(stream ? "/v1beta/models/" + MODEL + ":streamGenerateContent?alt=sse"
                : "/v1beta/models/" + MODEL + ":generateContent");
        assertThat(request.header("x-goog-api-key")).isEqualTo(API_KEY);
        assertThat(request.header("Authorization")).isNull();
        assertThat(request.target()).doesNotContain(API_KEY);
        assertThat(request.header("Content-Type")).startsWith("application/json");
        if (stream) {
            assertThat(request.header("Accept")).contains("text/event-stream");
        }
    }

    @Override
    protected String expectedChatBody(Case c, boolean stream) {
        // the streamed request takes the same body; only the method in the path differs
        return switch (c) {
            case BASIC -> """
                    {"contents":[{"role":"user","parts":[{"text":"Hello?"}]}],
                     "systemInstruction":{"parts":[{"text":"Be brief."}]},
                     "generationConfig":{"temperature":0.2,"topP":0.9,"maxOutputTokens":100,"stopSequences":["END"]}}""";
            case TOOLS -> """
                    {"contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]},
                      {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},
                      {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"celsius":21}}},
                        {"text":"And in Rome?"}]}],
                     "systemInstruction":{"parts":[{"text":"Use the tools."}]},
                     "tools":[{"functionDeclarations":[{"name":"get_weather","description":"The weather in a city",
                       "parametersJsonSchema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}],
                     "toolConfig":{"functionCallingConfig":{"mode":"ANY"}},
                     "generationConfig":{"maxOutputTokens":200}}""";
            case JSON_SCHEMA -> """
                    {"contents":[{"role":"user","parts":[{"text":"Rate this film."}]}],
                     "generationConfig":{"maxOutputTokens":50,"responseMimeType":"application/json",
                       "responseJsonSchema":{"type":"object","properties":{"score":{"type":"number"}},"required":["score"]}}}""";
            case IMAGE -> """
                    {"contents":[{"role":"user","parts":[{"text":"What is in this picture?"},
                      {"inlineData":{"mimeType":"image/png","data":"%s"}}]}],
                     "generationConfig":{"maxOutputTokens":50}}""".formatted(PNG);
        };
    }

    private static String finish(FinishReason reason) {
        return switch (reason) {
            case LENGTH -> "MAX_TOKENS";
            case CONTENT_FILTER -> "SAFETY";
            // Gemini ends a turn with function calls with STOP, too
            default -> "STOP";
        };
    }

    /** Usage as Gemini reports it: thoughts apart from the answer's tokens. */
    private static ObjectNode usage(Answer answer) {
        long written = answer.usage().completionTokens();
        long thoughts = answer.reasoning().isEmpty() ? 0 : written / 2;
        ObjectNode usage = JSON.createObjectNode().put("promptTokenCount", answer.usage().promptTokens())
                .put("candidatesTokenCount", written - thoughts).put("totalTokenCount", answer.usage().totalTokens());
        if (thoughts > 0) {
            usage.put("thoughtsTokenCount", thoughts);
        }
        return usage;
    }

    private static ObjectNode response(ArrayNode parts, String finish, ObjectNode usage) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode candidate = body.putArray("candidates").addObject();
        candidate.putObject("content").put("role", "model").set("parts", parts);
        if (finish != null) {
            candidate.put("finishReason", finish);
        }
        candidate.put("index", 0);
        body.set("usageMetadata", usage);
        body.put("modelVersion", MODEL).put("responseId", "resp-1");
        return body;
    }

    private static void addCall(ArrayNode parts, Answer answer) {
        ObjectNode part = parts.addObject();
        part.putObject("functionCall").put("name", answer.toolCall().name()).set("args", parse(answer.toolCall().arguments()));
        part.put("thoughtSignature", SIGNATURE);
    }

    @Override
    protected Reply chatReply(Answer answer) {
        ArrayNode parts = JSON.createArrayNode();
        if (!answer.reasoning().isEmpty()) {
            parts.addObject().put("text", answer.reasoning()).put("thought", true);
        }
        if (!answer.text().isEmpty()) {
            parts.addObject().put("text", answer.text());
        }
        if (answer.toolCall() != null) {
            addCall(parts, answer);
        }
        return Reply.json(200, json(response(parts, finish(answer.finish()), usage(answer))));
    }

    /**
     * One response per piece; every chunk reports the prompt's tokens so far, the last one the
     * finish reason and the whole usage. No end marker follows.
     */
    @Override
    protected Reply streamReply(Answer answer) {
        List<ArrayNode> chunks = new ArrayList<>();
        answer.reasoningPieces().forEach(p -> chunks.add(JSON.createArrayNode().add(JSON.createObjectNode().put("text", p).put("thought", true))));
        answer.textPieces().forEach(p -> chunks.add(JSON.createArrayNode().add(JSON.createObjectNode().put("text", p))));
        if (answer.toolCall() != null) {
            ArrayNode parts = JSON.createArrayNode();
            addCall(parts, answer);
            chunks.add(parts);
        }
        List<String> events = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            boolean last = i == chunks.size() - 1;
            ObjectNode usage = last ? usage(answer) : JSON.createObjectNode().put("promptTokenCount", answer.usage().promptTokens())
                    .put("totalTokenCount", answer.usage().promptTokens());
            events.add("data: " + json(response(chunks.get(i), last ? finish(answer.finish()) : null, usage)) + "\r\n\r\n");
        }
        return Reply.stream("text/event-stream", events);
    }

    @Override
    protected Reply errorReply(int status, String message) {
        String code = switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 500 -> "INTERNAL";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> "UNAVAILABLE";
        };
        return Reply.json(status, json(Map.of("error", Map.of("code", status, "message", message, "status", code))));
    }

    @Override
    protected boolean vendorNamesToolCalls() {
        return false;
    }

    @Override
    protected boolean vendorStreamsArgumentPieces() {
        return false;
    }

    @Override
    protected boolean embeds() {
        return true;
    }

    @Override
    protected String embeddingModel() {
        return "gemini-embedding-001";
    }

    @Override
    protected int embeddingBatchSize() {
        return 100;
    }

    @Override
    protected void assertEmbeddingRoute(Recorded request) {
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.target()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
        assertThat(request.header("x-goog-api-key")).isEqualTo(API_KEY);
    }

    @Override
    protected String expectedEmbeddingBody(List<String> texts, EmbeddingRequest.Purpose purpose) {
        String task = purpose == EmbeddingRequest.Purpose.QUERY ? "RETRIEVAL_QUERY" : "RETRIEVAL_DOCUMENT";
        return json(Map.of("requests", texts.stream().map(text -> Map.of("model", "models/gemini-embedding-001",
                "content", Map.of("parts", List.of(Map.of("text", text))), "taskType", task)).toList()));
    }

    @Override
    protected Reply embeddingReply(List<float[]> vectors, int tokens) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode embeddings = body.putArray("embeddings");
        for (float[] vector : vectors) {
            ArrayNode values = embeddings.addObject().putArray("values");
            for (float v : vector) {
                values.add(v);
            }
        }
        return Reply.json(200, json(body));
    }

    @Override
    protected boolean embeddingUsageReported() {
        return false;
    }
}
