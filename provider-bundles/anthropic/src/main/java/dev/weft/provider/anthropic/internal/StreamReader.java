package dev.weft.provider.anthropic.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.RetriableModelException;
import dev.weft.spi.model.ToolCall;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads one streamed Messages answer: server-sent events ({@code event:} and {@code data:} lines,
 * blank-line separated) turned into {@link ChatEvent}s as they arrive, then the whole answer.
 *
 * <p>Only {@code message_stop} proves the answer complete: a stream that ends without it fails as
 * {@link RetriableModelException.Unavailable}, and an {@code event: error} in the stream fails as
 * its error type's HTTP status would. Tool calls are numbered in the order their {@code tool_use}
 * blocks start (0, 1, ...), not by content block index, which counts text and thinking blocks
 * too. The answer tool's input (see {@link Wire}) streams as text.
 */
final class StreamReader {

    /** One content block being streamed. */
    private static final class Block {
        final String type;
        final int toolIndex;
        final String id;
        final String name;
        final StringBuilder input = new StringBuilder();

        Block(String type, int toolIndex, String id, String name) {
            this.type = type;
            this.toolIndex = toolIndex;
            this.id = id;
            this.name = name;
        }
    }

    private final Endpoint endpoint;
    private final String source;
    private final String answerTool;
    private final Consumer<ChatEvent> sink;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final Map<Integer, Block> blocks = new HashMap<>();
    private final List<Block> toolBlocks = new ArrayList<>();
    private final Tokens tokens = new Tokens();
    private String model;
    private String stopReason;

    /**
     * @param endpoint the server, for messages and for reading its errors
     * @param model the requested model, until the stream names the one that answers
     * @param answerTool as {@link Wire#answerTool}
     */
    StreamReader(Endpoint endpoint, String model, String answerTool, Consumer<ChatEvent> sink) {
        this.endpoint = endpoint;
        this.source = endpoint.baseUrl();
        this.model = model;
        this.answerTool = answerTool;
        this.sink = sink;
    }

    /** Reads the stream to its {@code message_stop}, emitting every event, {@link ChatEvent.Completed} last. */
    void read(InputStream body) throws IOException, ModelException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String event = "";
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (!data.isEmpty() && dispatch(event, data.toString())) {
                    sink.accept(new ChatEvent.Completed(whole()));
                    return;
                }
                event = "";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(5).stripLeading());
            }
            // "id:", "retry:" and ":" comments carry nothing here
        }
        throw new RetriableModelException.Unavailable("the stream from " + source + " ended before the answer was complete", null);
    }

    /** Handles one event; true once the message is complete. */
    private boolean dispatch(String event, String data) throws IOException, ModelException {
        JsonNode node = Wire.JSON.readTree(data);
        String type = event.isEmpty() ? node.path("type").asText("") : event;
        switch (type) {
            case "message_start" -> {
                JsonNode message = node.path("message");
                model = message.path("model").asText(model);
                tokens.read(message.path("usage"));
            }
            case "content_block_start" -> start(node.path("index").asInt(), node.path("content_block"));
            case "content_block_delta" -> delta(blocks.get(node.path("index").asInt()), node.path("delta"));
            case "message_delta" -> {
                JsonNode reason = node.path("delta").path("stop_reason");
                if (reason.isTextual()) {
                    stopReason = reason.asText();
                }
                tokens.read(node.path("usage"));
            }
            case "message_stop" -> {
                return true;
            }
            case "error" -> {
                String errorType = node.path("error").path("type").asText("");
                throw endpoint.failure(Endpoint.statusOf(errorType), data, null);
            }
            default -> {
                // ping, content_block_stop, and event types added later
            }
        }
        return false;
    }

    private void start(int index, JsonNode block) {
        String type = block.path("type").asText("");
        if (type.equals("tool_use")) {
            String id = block.path("id").asText("");
            String name = block.path("name").asText("");
            if (name.equals(answerTool)) {
                blocks.put(index, new Block("answer", -1, id, name));
                return;
            }
            Block tool = new Block(type, toolBlocks.size(), id, name);
            blocks.put(index, tool);
            toolBlocks.add(tool);
            sink.accept(new ChatEvent.ToolCallDelta(tool.toolIndex, id, name, ""));
            return;
        }
        blocks.put(index, new Block(type, -1, null, null));
        if (type.equals("text")) {
            text(block.path("text").asText(""));
        } else if (type.equals("thinking")) {
            reasoning(block.path("thinking").asText(""));
        }
    }

    private void delta(Block block, JsonNode delta) {
        switch (delta.path("type").asText("")) {
            case "text_delta" -> text(delta.path("text").asText(""));
            case "thinking_delta" -> reasoning(delta.path("thinking").asText(""));
            case "input_json_delta" -> {
                String piece = delta.path("partial_json").asText("");
                if (block == null || piece.isEmpty()) {
                    return;
                }
                if (block.type.equals("answer")) {
                    text(piece);
                } else if (block.toolIndex >= 0) {
                    block.input.append(piece);
                    sink.accept(new ChatEvent.ToolCallDelta(block.toolIndex, null, null, piece));
                }
            }
            default -> {
                // signature_delta (only needed to send thinking back), citations_delta
            }
        }
    }

    private void text(String piece) {
        if (!piece.isEmpty()) {
            text.append(piece);
            sink.accept(new ChatEvent.TextDelta(piece));
        }
    }

    private void reasoning(String piece) {
        if (!piece.isEmpty()) {
            reasoning.append(piece);
            sink.accept(new ChatEvent.ReasoningDelta(piece));
        }
    }

    private ChatResponse whole() {
        List<ToolCall> calls = new ArrayList<>();
        for (Block tool : toolBlocks) {
            calls.add(new ToolCall(tool.id, tool.name, tool.input.isEmpty() ? "{}" : tool.input.toString()));
        }
        return new ChatResponse(new ChatMessage.Assistant(text.toString(), reasoning.toString(), calls),
                Wire.finish(stopReason, !calls.isEmpty()), tokens.usage(), model);
    }
}
