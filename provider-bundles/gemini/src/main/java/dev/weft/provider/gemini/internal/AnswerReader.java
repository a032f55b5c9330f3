package dev.weft.provider.gemini.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.FinishReason;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ToolCall;
import dev.weft.spi.model.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads {@code GenerateContentResponse}s into one answer. A whole answer is one response; a stream
 * is many, each holding the next parts, so both are read the same way, a stream's pieces passed on
 * as they come.
 *
 * <p>Parts marked {@code "thought": true} are reasoning. Function calls arrive whole (never in
 * pieces) and without ids: see {@link CallIds}. Usage counts thoughts as written tokens; in a
 * stream each chunk repeats the running totals, so the last one counts.
 */
final class AnswerReader {

    private final Failures failures;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final List<ToolCall> calls = new ArrayList<>();
    private FinishReason finish;
    private Usage usage = Usage.NONE;
    private String model;

    AnswerReader(Failures failures, String requestedModel) {
        this.failures = failures;
        this.model = requestedModel;
    }

    /** Reads one response, passing what it adds to the sink. */
    void read(JsonNode chunk, Consumer<ChatEvent> sink) throws ModelException {
        if (chunk.hasNonNull("error")) {
            throw failures.inStream(chunk.path("error"));
        }
        model = chunk.path("modelVersion").asText(model);
        if (chunk.hasNonNull("usageMetadata")) {
            usage = usage(chunk.path("usageMetadata"));
        }
        JsonNode candidate = chunk.path("candidates").path(0);
        if (candidate.isMissingNode()) {
            String blocked = chunk.path("promptFeedback").path("blockReason").asText("");
            if (!blocked.isEmpty()) {
                throw new NonRetriableModelException.ContentFiltered("Gemini refused the prompt: " + blocked);
            }
            return;
        }
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.has("functionCall")) {
                call(part, sink);
            } else if (part.path("text").isTextual() && !part.path("text").asText().isEmpty()) {
                String piece = part.path("text").asText();
                if (part.path("thought").asBoolean(false)) {
                    reasoning.append(piece);
                    sink.accept(new ChatEvent.ReasoningDelta(piece));
                } else {
                    text.append(piece);
                    sink.accept(new ChatEvent.TextDelta(piece));
                }
            }
        }
        String reason = candidate.path("finishReason").asText("");
        if (!reason.isEmpty() && !reason.equals("FINISH_REASON_UNSPECIFIED")) {
            finish = finish(reason);
        }
    }

    private void call(JsonNode part, Consumer<ChatEvent> sink) {
        JsonNode call = part.path("functionCall");
        int index = calls.size();
        String id = CallIds.of(part.path("thoughtSignature").asText(""));
        String name = call.path("name").asText("");
        String arguments;
        try {
            arguments = Wire.JSON.writeValueAsString(call.hasNonNull("args") ? call.path("args") : Wire.JSON.createObjectNode());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        calls.add(new ToolCall(id, name, arguments));
        sink.accept(new ChatEvent.ToolCallDelta(index, id, name, arguments));
    }

    /** Whether a response carried a finish reason: only then is a stream complete. */
    boolean finished() {
        return finish != null;
    }

    /**
     * The answer so far. Gemini ends a turn with function calls with {@code STOP}; with calls in it
     * the turn is reported as {@link FinishReason#TOOL_CALLS}.
     */
    ChatResponse response() {
        FinishReason reason = finish == null ? FinishReason.OTHER : finish;
        if (!calls.isEmpty() && reason == FinishReason.STOP) {
            reason = FinishReason.TOOL_CALLS;
        }
        return new ChatResponse(new ChatMessage.Assistant(text.toString(), reasoning.toString(), calls), reason, usage, model);
    }

    static FinishReason finish(String reason) {
        return switch (reason) {
            case "STOP" -> FinishReason.STOP;
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }

    /** Prompt tokens include those of tool-use prompts; written tokens include thoughts. */
    static Usage usage(JsonNode metadata) {
        long prompt = metadata.path("promptTokenCount").asLong(0) + metadata.path("toolUsePromptTokenCount").asLong(0);
        long completion = metadata.path("candidatesTokenCount").asLong(0) + metadata.path("thoughtsTokenCount").asLong(0);
        return new Usage(Math.max(0, prompt), Math.max(0, completion));
    }
}
