package dev.weft.provider.ollama.internal;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The provider contract over Ollama's native wire: {@code /api/chat} answered whole or as NDJSON,
 * {@code /api/embed}, and {@code {"error":"..."}} failures. Ollama gives tool calls no ids and
 * sends each call whole, with its arguments as a JSON object.
 */
class OllamaContractTest extends ProviderContract {

    private static final String CREATED = "2025-05-27T22:54:57.641643Z";

    @Override
    protected ModelProvider provider(OutboundHttp http) {
        return new OllamaProvider(http);
    }

    @Override
    protected ProviderConfig config(String serverUrl, Secret apiKey) {
        return new ProviderConfig(Map.of("base_url", serverUrl, "keep_alive", "10m"), Map.of("api_key", apiKey));
    }

    @Override
    protected String chatModel() {
        return "llama3.2";
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
    protected void assertChatRoute(Recorded request, boolean stream) {
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.target()).isEqualTo("/api/chat");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(request.header("Content-Type")).startsWith("application/json");
        if (stream) {
            assertThat(request.header("Accept")).contains("application/x-ndjson");
        }
    }

    @Override
    protected String expectedChatBody(Case c, boolean stream) {
        return switch (c) {
            case BASIC -> """
                    {"model":"llama3.2","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello?"}],
                     "stream":%s,"options":{"temperature":0.2,"top_p":0.9,"num_predict":100,"stop":["END"]},"keep_alive":"10m"}"""
                    .formatted(stream);
            case TOOLS -> """
                    {"model":"llama3.2","messages":[{"role":"system","content":"Use the tools."},
                      {"role":"user","content":"Weather in Paris?"},
                      {"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},
                      {"role":"tool","content":"{\\"celsius\\":21}","tool_name":"get_weather"},
                      {"role":"user","content":"And in Rome?"}],
                     "stream":%s,
                     "tools":[{"type":"function","function":{"name":"get_weather","description":"The weather in a city",
                       "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
                     "options":{"num_predict":200},"keep_alive":"10m"}""".formatted(stream);
            case JSON_SCHEMA -> """
                    {"model":"llama3.2","messages":[{"role":"user","content":"Rate this film."}],"stream":%s,
                     "format":{"type":"object","properties":{"score":{"type":"number"}},"required":["score"]},
                     "options":{"num_predict":50},"keep_alive":"10m"}""".formatted(stream);
            case IMAGE -> """
                    {"model":"llama3.2","messages":[{"role":"user","content":"What is in this picture?","images":["%s"]}],
                     "stream":%s,"options":{"num_predict":50},"keep_alive":"10m"}""".formatted(PNG, stream);
        };
    }

    /** Ollama says {@code stop} when it answers with tool calls too. */
    private static String doneReason(FinishReason reason) {
        return reason == FinishReason.LENGTH ? "length" : "stop";
    }

    private ObjectNode line(ObjectNode message, boolean done) {
        ObjectNode line = JSON.createObjectNode().put("model", chatModel()).put("created_at", CREATED);
        line.set("message", message);
        line.put("done", done);
        return line;
    }

    private static ObjectNode message() {
        return JSON.createObjectNode().put("role", "assistant").put("content", "");
    }

    private static void toolCalls(ObjectNode message, Answer answer) {
        ObjectNode call = message.putArray("tool_calls").addObject();
        call.putObject("function").put("name", answer.toolCall().name()).set("arguments", parse(answer.toolCall().arguments()));
    }

    private static ObjectNode finish(ObjectNode line, Answer answer) {
        return line.put("done_reason", doneReason(answer.finish())).put("total_duration", 885095291L)
                .put("load_duration", 3753500L).put("prompt_eval_count", answer.usage().promptTokens())
                .put("prompt_eval_duration", 328493000L).put("eval_count", answer.usage().completionTokens())
                .put("eval_duration", 552222000L);
    }

    @Override
    protected Reply chatReply(Answer answer) {
        ObjectNode message = message().put("content", answer.text());
        if (!answer.reasoning().isEmpty()) {
            message.put("thinking", answer.reasoning());
        }
        if (answer.toolCall() != null) {
            toolCalls(message, answer);
        }
        return Reply.json(200, json(finish(line(message, true), answer)));
    }

    @Override
    protected Reply streamReply(Answer answer) {
        List<String> lines = new ArrayList<>();
        answer.reasoningPieces().forEach(p -> lines.add(ndjson(line(message().put("thinking", p), false))));
        answer.textPieces().forEach(p -> lines.add(ndjson(line(message().put("content", p), false))));
        if (answer.toolCall() != null) {
            ObjectNode message = message();
            toolCalls(message, answer);
            lines.add(ndjson(line(message, false)));
        }
        lines.add(ndjson(finish(line(message(), true), answer)));
        return Reply.stream("application/x-ndjson", lines);
    }

    private static String ndjson(ObjectNode line) {
        return json(line) + "\n";
    }

    @Override
    protected Reply errorReply(int status, String message) {
        return Reply.json(status, json(Map.of("error", message)));
    }

    @Override
    protected boolean embeds() {
        return true;
    }

    @Override
    protected String embeddingModel() {
        return "nomic-embed-text";
    }

    @Override
    protected int embeddingBatchSize() {
        return OllamaEmbeddings.BATCH;
    }

    @Override
    protected void assertEmbeddingRoute(Recorded request) {
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.target()).isEqualTo("/api/embed");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + API_KEY);
    }

    @Override
    protected String expectedEmbeddingBody(List<String> texts, EmbeddingRequest.Purpose purpose) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", "nomic-embed-text");
        body.put("input", texts);
        body.put("keep_alive", "10m");
        return json(body);
    }

    @Override
    protected Reply embeddingReply(List<float[]> vectors, int tokens) {
        ObjectNode body = JSON.createObjectNode().put("model", embeddingModel());
        ArrayNode embeddings = body.putArray("embeddings");
        for (float[] vector : vectors) {
            ArrayNode values = embeddings.addArray();
            for (float v : vector) {
                values.add(v);
            }
        }
        body.put("total_duration", 14143917L).put("load_duration", 1019500L).put("prompt_eval_count", tokens);
        return Reply.json(200, json(body));
    }
}
