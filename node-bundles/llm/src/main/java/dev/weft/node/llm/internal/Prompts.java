package dev.weft.node.llm.internal;

import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ContentPart;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The messages an LLM node sends, built as Dify builds them: the prompt template's messages with
 * {@code {{#context#}}} and {@code {{#node.var#}}} filled in, then (in a chatflow with memory) the
 * user's query; images from the vision selector on the last user message.
 */
final class Prompts {

    private Prompts() {
    }

    /** Dify's memory limit when no window is set: the newest turns that fit in about 2,000 tokens. */
    static final int MEMORY_CHARACTERS = 8000;

    static List<ChatMessage> build(Map<String, Object> config, VariableView variables, String mode) throws NodeException {
        return build(config, variables, mode, List.of());
    }

    /**
     * The messages, with the conversation's earlier turns (oldest first) between the template and the
     * query when the node has memory.
     */
    static List<ChatMessage> build(Map<String, Object> config, VariableView variables, String mode,
            List<dev.weft.spi.node.ConversationTurn> history) throws NodeException {
        String context = context(config, variables);
        List<ChatMessage> messages = new ArrayList<>();
        Object template = config.get("prompt_template");
        if (template instanceof List<?> items) {
            for (Object item : items) {
                if (!(item instanceof Map<?, ?> message)) {
                    continue;
                }
                if ("jinja2".equals(message.get("edition_type"))) {
                    throw new NodeException("prompt_template_unsupported",
                            "Jinja2 prompt messages are not supported yet; use the basic edition");
                }
                String text = render(message.get("text"), context, variables);
                String role = message.get("role") instanceof String r ? r : "user";
                switch (role) {
                    case "system" -> messages.add(new ChatMessage.System(text));
                    case "assistant" -> messages.add(ChatMessage.Assistant.of(text));
                    default -> messages.add(ChatMessage.User.of(text));
                }
            }
        } else if (template instanceof Map<?, ?> completion) {
            if ("jinja2".equals(completion.get("edition_type"))) {
                throw new NodeException("prompt_template_unsupported",
                        "Jinja2 prompt templates are not supported yet; use the basic edition");
            }
            String text = render(completion.get("text"), context, variables);
            if (config.get("memory") instanceof Map<?, ?> memory && !history.isEmpty()) {
                String transcript = transcript(memory, remembered(memory, history));
                text = text.contains("#histories#") ? text.replace("#histories#", transcript) : transcript + "\n\n" + text;
            }
            messages.add(ChatMessage.User.of(text));
        }
        if (config.get("memory") instanceof Map<?, ?> memory && template instanceof List<?>) {
            for (dev.weft.spi.node.ConversationTurn turn : remembered(memory, history)) {
                messages.add(ChatMessage.User.of(turn.query()));
                messages.add(ChatMessage.Assistant.of(turn.answer()));
            }
        }
        // a chatflow LLM with memory answers the user's query, given after the template
        if (config.get("memory") instanceof Map<?, ?> memory && !(template instanceof Map<?, ?>)) {
            Object queryTemplate = memory.get("query_prompt_template");
            String query = queryTemplate instanceof String q && !q.isBlank() ? render(q, context, variables)
                    : variables.get(VariableSelector.parse("sys.query")).map(String::valueOf).orElse("");
            if (!query.isBlank()) {
                messages.add(ChatMessage.User.of(query));
            }
        }
        addImages(config, variables, messages);
        if (messages.isEmpty()) {
            throw new NodeException("prompt_empty", "the prompt template has no messages");
        }
        return messages;
    }

    /** The turns the memory keeps: the window's size when it is on, else what fits the character budget. */
    static List<dev.weft.spi.node.ConversationTurn> remembered(Map<?, ?> memory, List<dev.weft.spi.node.ConversationTurn> history) {
        Map<?, ?> window = memory.get("window") instanceof Map<?, ?> w ? w : Map.of();
        int size = Boolean.TRUE.equals(window.get("enabled")) && window.get("size") instanceof Number n ? n.intValue() : 500;
        List<dev.weft.spi.node.ConversationTurn> kept = new ArrayList<>();
        int characters = 0;
        for (int i = history.size() - 1; i >= 0 && kept.size() < size; i--) {
            dev.weft.spi.node.ConversationTurn turn = history.get(i);
            characters += turn.query().length() + turn.answer().length();
            if (characters > MEMORY_CHARACTERS && !kept.isEmpty()) {
                break;
            }
            kept.add(0, turn);
        }
        return kept;
    }

    private static String transcript(Map<?, ?> memory, List<dev.weft.spi.node.ConversationTurn> turns) {
        Map<?, ?> prefixes = memory.get("role_prefix") instanceof Map<?, ?> p ? p : Map.of();
        String user = prefixes.get("user") instanceof String u && !u.isBlank() ? u : "Human";
        String assistant = prefixes.get("assistant") instanceof String a && !a.isBlank() ? a : "Assistant";
        StringBuilder out = new StringBuilder();
        for (dev.weft.spi.node.ConversationTurn turn : turns) {
            out.append(user).append(": ").append(turn.query()).append('\n').append(assistant).append(": ")
                    .append(turn.answer()).append('\n');
        }
        return out.toString().strip();
    }

    private static String render(Object text, String context, VariableView variables) {
        String template = text instanceof String t ? t : "";
        return variables.render(template.replace("{{#context#}}", context));
    }

    /** The context variable's text: retrieved chunks joined, or the value as text. */
    static String context(Map<String, Object> config, VariableView variables) {
        if (!(config.get("context") instanceof Map<?, ?> context) || !Boolean.TRUE.equals(context.get("enabled"))) {
            return "";
        }
        Object value = VariableSelector.fromJson(context.get("variable_selector")).flatMap(variables::get).orElse(null);
        if (value == null) {
            return "";
        }
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object item : list) {
                if (item instanceof Map<?, ?> chunk && chunk.get("content") instanceof String content) {
                    parts.add(content);
                } else if (item instanceof String text) {
                    parts.add(text);
                } else if (item != null) {
                    parts.add(Json.write(item));
                }
            }
            return String.join("\n", parts);
        }
        return Json.write(value);
    }

    private static void addImages(Map<String, Object> config, VariableView variables, List<ChatMessage> messages) {
        if (!(config.get("vision") instanceof Map<?, ?> vision) || !Boolean.TRUE.equals(vision.get("enabled"))) {
            return;
        }
        Map<?, ?> configs = vision.get("configs") instanceof Map<?, ?> c ? c : Map.of();
        String detail = configs.get("detail") instanceof String d ? d : "high";
        Object selector = configs.get("variable_selector") != null ? configs.get("variable_selector") : List.of("sys", "files");
        Object value = VariableSelector.fromJson(selector).flatMap(variables::get).orElse(null);
        List<Object> files = value instanceof List<?> list ? new ArrayList<>(list) : value == null ? List.of() : List.of(value);
        List<ContentPart> images = new ArrayList<>();
        for (Object file : files) {
            if (file instanceof Map<?, ?> f && "image".equals(f.get("type"))) {
                Object url = f.get("remote_url") instanceof String r && !r.isBlank() ? r : f.get("url");
                if (url instanceof String u && !u.isBlank()) {
                    images.add(new ContentPart.Image(u, detail));
                }
            }
        }
        if (images.isEmpty()) {
            return;
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ChatMessage.User user) {
                List<ContentPart> content = new ArrayList<>(user.content());
                content.addAll(images);
                messages.set(i, new ChatMessage.User(content));
                return;
            }
        }
        messages.add(new ChatMessage.User(images));
    }

    /** The messages as the trace shows them. */
    static List<Map<String, Object>> trace(List<ChatMessage> messages) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ChatMessage message : messages) {
            switch (message) {
                case ChatMessage.System s -> out.add(Map.of("role", "system", "text", s.text()));
                case ChatMessage.User u -> out.add(Map.of("role", "user", "text", u.content().stream()
                        .map(p -> p instanceof ContentPart.Text t ? t.text() : "[image]").reduce("", String::concat)));
                case ChatMessage.Assistant a -> out.add(Map.of("role", "assistant", "text", a.text()));
                case ChatMessage.ToolResult t -> out.add(Map.of("role", "tool", "text", t.content()));
            }
        }
        return out;
    }
}
