package dev.weft.provider.openai.internal;

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

/** The provider contract over OpenAI's chat-completions and embeddings wire format. */
class OpenAiContractTest extends ProviderContract {

    @Override
    protected ModelProvider provider(OutboundHttp http) {
        return new OpenAiProvider(http);
    }

    @Override
    protected ProviderConfig config(String serverUrl, Secret apiKey) {
        return new ProviderConfig(Map.of("base_url", serverUrl + "/v1"), Map.of("api_key", apiKey));
    }

    @Override
    protected String chatModel() {
        return "gpt-4o-mini";
    }

    @Override
    protected void assertChatRoute(Recorded request, boolean stream) {
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.target()).isEqualTo("/v1/chat/completions");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(request.header("Content-Type")).startsWith("application/json");
        if (stream) {
            assertThat(request.header("Accept")).contains("text/event-stream");
        }
    }

    @Override
    protected String expectedChatBody(Case c, boolean stream) {
        String streaming = stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "";
        return switch (c) {
            case BASIC -> """
                    {"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello?"}],
                     "temperature":0.2,"top_p":0.9,"max_tokens":100,"stop":["END"],"user":"user-1"%s}""".formatted(streaming);
            case TOOLS -> """
                    {"model":"gpt-4o-mini","messages":[{"role":"system","content":"Use the tools."},
                      {"role":"user","content":"Weather in Paris?"},
                      {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                        "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                      {"role":"tool","tool_call_id":"call_1","content":"{\\"celsius\\":21}"},
                      {"role":"user","content":"And in Rome?"}],
                     "tools":[{"type":"function","function":{"name":"get_weather","description":"The weather in a city",
                       "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
                     "tool_choice":"required","max_tokens":200%s}""".formatted(streaming);
            case JSON_SCHEMA -> """
                    {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Rate this film."}],"max_tokens":50,
                     "response_format":{"type":"json_schema","json_schema":{"name":"rating","schema":{"type":"object",
                       "properties":{"score":{"type":"number"}},"required":["score"]},"strict":true}}%s}""".formatted(streaming);
            case IMAGE -> """
                    {"model":"gpt-4o-mini","messages":[{"role":"user","content":[{"type":"text","text":"What is in this picture?"},
                      {"type":"image_url","image_url":{"url":"data:image/png;base64,%s","detail":"low"}}]}],
                     "max_tokens":50%s}""".formatted(PNG, streaming);
        };
    }

    private static String finish(FinishReason reason) {
        return switch (reason) {
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            default -> "stop";
        };
    }

    private static ObjectNode usage(Answer answer) {
        return JSON.createObjectNode().put("prompt_tokens", answer.usage().promptTokens())
                .put("completion_tokens", answer.usage().completionTokens()).put("total_tokens", answer.usage().totalTokens());
    }

    @Override
    protected Reply chatReply(Answer answer) {
        ObjectNode body = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion")
                .put("created", 1700000000).put("model", chatModel());
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", finish(answer.finish()));
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (answer.toolCall() == null) {
            message.put("content", answer.text());
        } else {
            message.putNull("content");
            ObjectNode call = message.putArray("tool_calls").addObject().put("id", answer.toolCall().id()).put("type", "function");
            call.putObject("function").put("name", answer.toolCall().name()).put("arguments", answer.toolCall().arguments());
        }
        if (!answer.reasoning().isEmpty()) {
            message.put("reasoning_content", answer.reasoning());
        }
        body.set("usage", usage(answer));
        return Reply.json(200, json(body));
    }

    private ObjectNode chunk(ObjectNode delta, String finish) {
        ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
                .put("created", 1700000000).put("model", chatModel());
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return chunk;
    }

    @Override
    protected Reply streamReply(Answer answer) {
        List<String> events = new ArrayList<>();
        events.add(event(chunk(JSON.createObjectNode().put("role", "assistant").put("content", ""), null)));
        answer.reasoningPieces().forEach(p -> events.add(event(chunk(JSON.createObjectNode().put("reasoning_content", p), null))));
        answer.textPieces().forEach(p -> events.add(event(chunk(JSON.createObjectNode().put("content", p), null))));
        if (answer.toolCall() != null) {
            ObjectNode first = JSON.createObjectNode();
            ObjectNode call = first.putArray("tool_calls").addObject().put("index", 0).put("id", answer.toolCall().id())
                    .put("type", "function");
            call.putObject("function").put("name", answer.toolCall().name()).put("arguments", "");
            events.add(event(chunk(first, null)));
            for (String piece : answer.argumentPieces()) {
                ObjectNode delta = JSON.createObjectNode();
                delta.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", piece);
                events.add(event(chunk(delta, null)));
            }
        }
        events.add(event(chunk(JSON.createObjectNode(), finish(answer.finish()))));
        ObjectNode usage = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
                .put("created", 1700000000).put("model", chatModel());
        usage.putArray("choices");
        usage.set("usage", usage(answer));
        events.add(event(usage));
        events.add("data: [DONE]\n\n");
        return Reply.stream("text/event-stream", events);
    }

    private static String event(ObjectNode data) {
        return "data: " + json(data) + "\n\n";
    }

    @Override
    protected Reply errorReply(int status, String message) {
        String type = switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_exceeded";
            default -> "server_error";
        };
        return Reply.json(status, json(Map.of("error", Map.of("message", message, "type", type))));
    }

    @Override
    protected boolean embeds() {
        return true;
    }

    @Override
    protected String embeddingModel() {
        return "text-embedding-3-small";
    }

    @Override
    protected int embeddingBatchSize() {
        return 64;
    }

    @Override
    protected void assertEmbeddingRoute(Recorded request) {
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.target()).isEqualTo("/v1/embeddings");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + API_KEY);
    }

    @Override
    protected String expectedEmbeddingBody(List<String> texts, EmbeddingRequest.Purpose purpose) {
        return json(Map.of("model", "text-embedding-3-small", "encoding_format", "float", "input", texts));
    }

    @Override
    protected Reply embeddingReply(List<float[]> vectors, int tokens) {
        ObjectNode body = JSON.createObjectNode().put("object", "list").put("model", embeddingModel());
        ArrayNode data = body.putArray("data");
        // in reverse, as the index, not the position, says which text a vector belongs to
        for (int i = vectors.size() - 1; i >= 0; i--) {
            ArrayNode values = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
            for (float v : vectors.get(i)) {
                values.add(v);
            }
        }
        body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return Reply.json(200, json(body));
    }

    @org.junit.jupiter.api.Test
    void anAzureDeploymentIsCalledByItsDeploymentPathWithTheApiVersionAndAnApiKeyHeader() throws Exception {
        ProviderConfig azure = new ProviderConfig(Map.of("base_url", server.url() + "/", "api_type", "azure",
                "api_version", "2024-06-01"), Map.of("api_key", Secret.of(API_KEY)));
        server.reply(chatReply(TEXT)).reply(embeddingReply(List.of(new float[] {1f}), 1));

        provider.chatModel(azure, "my gpt-4o").chat(Case.BASIC.request());
        provider.embeddingModel(azure, "embed-deploy").embed(new EmbeddingRequest(List.of("x"), EmbeddingRequest.Purpose.DOCUMENT));

        Recorded chat = server.requests().get(0);
        assertThat(chat.target()).isEqualTo("/openai/deployments/my%20gpt-4o/chat/completions?api-version=2024-06-01");
        assertThat(chat.header("api-key")).isEqualTo(API_KEY);
        assertThat(chat.header("Authorization")).isNull();
        assertThat(server.requests().get(1).target()).isEqualTo("/openai/deployments/embed-deploy/embeddings?api-version=2024-06-01");
    }
}
