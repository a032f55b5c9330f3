package dev.weft.provider.anthropic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.api.core.Secret;
import dev.weft.api.http.OutboundHttp;
import dev.weft.provider.contract.ProviderContract;
import dev.weft.provider.contract.WireServer.Recorded;
import dev.weft.provider.contract.WireServer.Reply;
import dev.weft.spi.model.FinishReason;
import dev.weft.spi.model.ModelProvider;
import dev.weft.spi.model.ProviderConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The provider contract over Anthropic's Messages wire format. */
class AnthropicContractTest extends ProviderContract {

    static final String MODEL = "claude-sonnet-4-5";

    @Override
    protected ModelProvider provider(OutboundHttp http) {
        return new AnthropicProvider(http);
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
        assertThat(request.target()).isEqualTo("/v1/messages");
        assertThat(request.header("x-api-key")).isEqualTo(API_KEY);
        assertThat(request.header("Authorization")).isNull();
        assertThat(request.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        if (stream) {
            assertThat(request.header("Accept")).contains("text/event-stream");
        }
    }

    @Override
    protected String expectedChatBody(Case c, boolean stream) {
        String streaming = stream ? ",\"stream\":true" : "";
        return switch (c) {
            // the case sets temperature and top_p; Claude 4.5 models refuse the two together (400),
            // so only temperature is sent
            case BASIC -> """
                    {"model":"claude-sonnet-4-5","max_tokens":100,"system":"Be brief.",
                     "messages":[{"role":"user","content":"Hello?"}],
                     "temperature":0.2,"stop_sequences":["END"],"metadata":{"user_id":"user-1"}%s}"""
                    .formatted(streaming);
            case TOOLS -> """
                    {"model":"claude-sonnet-4-5","max_tokens":200,"system":"Use the tools.",
                     "messages":[{"role":"user","content":"Weather in Paris?"},
                      {"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}}]},
                      {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":"{\\"celsius\\":21}"},
                        {"type":"text","text":"And in Rome?"}]}],
                     "tools":[{"name":"get_weather","description":"The weather in a city",
                       "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
                     "tool_choice":{"type":"any"}%s}""".formatted(streaming);
            case JSON_SCHEMA -> """
                    {"model":"claude-sonnet-4-5","max_tokens":50,"messages":[{"role":"user","content":"Rate this film."}],
                     "tools":[{"name":"rating","description":"Give the answer as JSON following the schema \\"rating\\".",
                       "input_schema":{"type":"object","properties":{"score":{"type":"number"}},"required":["score"]}}],
                     "tool_choice":{"type":"tool","name":"rating"}%s}""".formatted(streaming);
            case IMAGE -> """
                    {"model":"claude-sonnet-4-5","max_tokens":50,"messages":[{"role":"user","content":[
                      {"type":"text","text":"What is in this picture?"},
                      {"type":"image","source":{"type":"base64","media_type":"image/png","data":"%s"}}]}]%s}"""
                    .formatted(PNG, streaming);
        };
    }

    static String stopReason(FinishReason reason) {
        return switch (reason) {
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
            default -> "end_turn";
        };
    }

    @Override
    protected Reply chatReply(Answer answer) {
        ObjectNode body = JSON.createObjectNode().put("id", "msg_01").put("type", "message").put("role", "assistant")
                .put("model", MODEL);
        ArrayNode content = body.putArray("content");
        if (!answer.reasoning().isEmpty()) {
            content.addObject().put("type", "thinking").put("thinking", answer.reasoning()).put("signature", "c2lnbmF0dXJl");
        }
        if (!answer.text().isEmpty()) {
            content.addObject().put("type", "text").put("text", answer.text());
        }
        if (answer.toolCall() != null) {
            content.addObject().put("type", "tool_use").put("id", answer.toolCall().id()).put("name", answer.toolCall().name())
                    .set("input", parse(answer.toolCall().arguments()));
        }
        body.put("stop_reason", stopReason(answer.finish())).putNull("stop_sequence");
        body.putObject("usage").put("input_tokens", answer.usage().promptTokens()).put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0).put("output_tokens", answer.usage().completionTokens());
        return Reply.json(200, json(body));
    }

    @Override
    protected Reply streamReply(Answer answer) {
        List<String> events = new ArrayList<>();
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message").put("id", "msg_01").put("type", "message").put("role", "assistant")
                .put("model", MODEL);
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", answer.usage().promptTokens()).put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0).put("output_tokens", 1);
        events.add(event("message_start", start));
        events.add(event("ping", JSON.createObjectNode().put("type", "ping")));
        int index = 0;
        if (!answer.reasoning().isEmpty()) {
            events.add(blockStart(index, JSON.createObjectNode().put("type", "thinking").put("thinking", "")));
            for (String piece : answer.reasoningPieces()) {
                events.add(blockDelta(index, JSON.createObjectNode().put("type", "thinking_delta").put("thinking", piece)));
            }
            events.add(blockDelta(index, JSON.createObjectNode().put("type", "signature_delta").put("signature", "c2lnbmF0dXJl")));
            events.add(blockStop(index++));
        }
        if (!answer.text().isEmpty()) {
            events.add(blockStart(index, JSON.createObjectNode().put("type", "text").put("text", "")));
            for (String piece : answer.textPieces()) {
                events.add(blockDelta(index, JSON.createObjectNode().put("type", "text_delta").put("text", piece)));
            }
            events.add(blockStop(index++));
        }
        if (answer.toolCall() != null) {
            ObjectNode block = JSON.createObjectNode().put("type", "tool_use").put("id", answer.toolCall().id())
                    .put("name", answer.toolCall().name());
            block.putObject("input");
            events.add(blockStart(index, block));
            for (String piece : answer.argumentPieces()) {
                events.add(blockDelta(index, JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", piece)));
            }
            events.add(blockStop(index));
        }
        ObjectNode delta = JSON.createObjectNode().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", stopReason(answer.finish())).putNull("stop_sequence");
        delta.putObject("usage").put("output_tokens", answer.usage().completionTokens());
        events.add(event("message_delta", delta));
        events.add(event("message_stop", JSON.createObjectNode().put("type", "message_stop")));
        return Reply.stream("text/event-stream; charset=utf-8", events);
    }

    static String event(String name, ObjectNode data) {
        return "event: " + name + "\ndata: " + json(data) + "\n\n";
    }

    static String blockStart(int index, ObjectNode block) {
        ObjectNode data = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
        data.set("content_block", block);
        return event("content_block_start", data);
    }

    static String blockDelta(int index, ObjectNode delta) {
        ObjectNode data = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
        data.set("delta", delta);
        return event("content_block_delta", data);
    }

    static String blockStop(int index) {
        return event("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index));
    }

    @Override
    protected Reply errorReply(int status, String message) {
        String type = switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
        return Reply.json(status, json(Map.of("type", "error", "error", Map.of("type", type, "message", message))));
    }
}
