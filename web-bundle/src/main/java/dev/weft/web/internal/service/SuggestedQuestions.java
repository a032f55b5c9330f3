package dev.weft.web.internal.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelRuntime;
import dev.weft.platform.engine.AppDefinition;
import dev.weft.platform.store.MessageRecord;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import dev.weft.web.internal.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The questions an end user is likely to ask next, after an answer (Dify's
 * {@code suggested_questions_after_answer}): the app's own model reads the conversation's last
 * turns and writes three short questions as a JSON array.
 */
final class SuggestedQuestions {

    static final int TURNS = 3;
    private static final String INSTRUCTION = """
            Read the conversation below and write the three questions the user is most likely to ask next.
            Keep each question short (under 20 words) and in the language of the conversation.
            Answer with a JSON array of three strings and nothing else, for example ["...", "...", "..."].""";

    private SuggestedQuestions() {
    }

    /** The model the app answers with: {@code model_config.model}, or its first LLM node's. */
    static Optional<Map<?, ?>> model(AppDefinition app) {
        if (!app.isGraph()) {
            return app.document().get("model_config") instanceof Map<?, ?> c && c.get("model") instanceof Map<?, ?> m
                    ? Optional.of(m) : Optional.empty();
        }
        if (app.document().get("workflow") instanceof Map<?, ?> w && w.get("graph") instanceof Map<?, ?> g
                && g.get("nodes") instanceof List<?> nodes) {
            for (Object node : nodes) {
                if (node instanceof Map<?, ?> n && n.get("data") instanceof Map<?, ?> data && "llm".equals(data.get("type"))
                        && data.get("model") instanceof Map<?, ?> m) {
                    return Optional.of(m);
                }
            }
        }
        return Optional.empty();
    }

    static List<String> suggest(ModelRuntime models, String workspaceId, Map<?, ?> model, List<MessageRecord> history)
            throws dev.weft.spi.model.ModelException {
        StringBuilder conversation = new StringBuilder();
        for (MessageRecord turn : history.subList(Math.max(0, history.size() - TURNS), history.size())) {
            conversation.append("User: ").append(turn.query()).append('\n');
            conversation.append("Assistant: ").append(turn.answer() == null ? "" : turn.answer()).append('\n');
        }
        ModelCall call = new ModelCall(workspaceId, String.valueOf(model.get("provider")), String.valueOf(model.get("name")),
                null, "suggested-questions");
        String text = models.chat(call, new ChatRequest(List.of(new ChatMessage.System(INSTRUCTION),
                ChatMessage.User.of(conversation.toString())), null, null, null, null, null)).response().message().text();
        return parse(text);
    }

    /** The questions of a JSON array somewhere in the text; none when there is no such array. */
    static List<String> parse(String text) {
        if (text == null) {
            return List.of();
        }
        int start = text.indexOf('[');
        int end = text.lastIndexOf(']');
        if (start < 0 || end <= start) {
            return List.of();
        }
        try {
            List<?> items = Json.mapper().readValue(text.substring(start, end + 1), List.class);
            List<String> questions = new ArrayList<>();
            for (Object item : items) {
                if (item instanceof String question && !question.isBlank() && questions.size() < TURNS) {
                    questions.add(question.strip());
                }
            }
            return questions;
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }
}
