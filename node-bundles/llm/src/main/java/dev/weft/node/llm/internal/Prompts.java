package dev.weft.node.llm.internal;

import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ContentPart;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.TemplateRenderer;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The messages an LLM node sends, built as Dify builds them: the prompt template's messages with
 * {@code {{#context#}}} and {@code {{#node.var#}}} filled in, then (in a chatflow with memory) the
 * user's query; images from the vision selector on the last user message.
 *
 * <p>A message whose {@code edition_type} is {@code jinja2} is Dify's other edition: its
 * {@code jinja2_text} (not {@code text}) is a Jinja2 template whose only names are the node's
 * {@code prompt_config.jinja2_variables} ({@code {variable, value_selector}}); neither the context
 * nor {@code {{#node.var#}}} references are filled into it. It is rendered by the
 * {@link TemplateRenderer} service (the template bundle provides it), looked up for each build.
 */
final class Prompts {

    private Prompts() {
    }

    /** Dify's memory limit when no window is set: the newest turns that fit in about 2,000 tokens. */
    static final int MEMORY_CHARACTERS = 8000;

    /**
     * The messages, with the conversation's earlier turns (oldest first) between the template and the
     * query when the node has memory.
     *
     * @param templates gives the template renderer service as bound at that moment, or {@code null}
     *        when none is; asked only when a message is a Jinja2 one
     */
    static List<ChatMessage> build(Map<String, Object> config, VariableView variables, String mode,
            List<dev.weft.spi.node.ConversationTurn> history, Supplier<TemplateRenderer> templates) throws NodeException {
        String context = context(config, variables);
        List<ChatMessage> messages = new ArrayList<>();
        Object template = config.get("prompt_template");
        if (template instanceof List<?> items) {
            for (Object item : items) {
                if (!(item instanceof Map<?, ?> message)) {
                    continue;
                }
                String text = text(message, config, context, variables, templates);
                String role = message.get("role") instanceof String r ? r : "user";
                switch (role) {
                    case "system" -> messages.add(new ChatMessage.System(text));
                    case "assistant" -> messages.add(ChatMessage.Assistant.of(text));
                    default -> messages.add(ChatMessage.User.of(text));
                }
            }
        } else if (template instanceof Map<?, ?> completion) {
            String text = text(completion, config, context, variables, templates);
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
        messages = prependContext(config, context, messages);
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

    /** A message's text in its edition: Jinja2 rendered, or basic with references filled in. */
    private static String text(Map<?, ?> message, Map<String, Object> config, String context, VariableView variables,
            Supplier<TemplateRenderer> templates) throws NodeException {
        if ("jinja2".equals(message.get("edition_type"))) {
            return jinja2(message.get("jinja2_text"), config, variables, templates);
        }
        return render(message.get("text"), context, variables);
    }

    /**
     * A Jinja2 message rendered as Dify renders it: an empty template is empty text without a
     * renderer being asked; the renderer's failures ({@code template_error}, {@code template_limit})
     * fail the node as they are.
     */
    private static String jinja2(Object text, Map<String, Object> config, VariableView variables,
            Supplier<TemplateRenderer> templates) throws NodeException {
        String template = text instanceof String t ? t : "";
        if (template.isEmpty()) {
            return "";
        }
        TemplateRenderer renderer = templates.get();
        if (renderer == null) {
            throw new NodeException("prompt_template_unsupported", "this prompt has a Jinja2 message, and rendering"
                    + " Jinja2 needs the template bundle (dev.weft.node.template) installed and active");
        }
        return renderer.render(template, jinja2Variables(config, variables));
    }

    /**
     * The names a Jinja2 message sees: each of {@code prompt_config.jinja2_variables} with its
     * selector's value, kept as it is (lists and objects stay lists and objects, for loops and
     * filters); a variable the run does not have is empty text, as in Dify.
     */
    private static Map<String, Object> jinja2Variables(Map<String, Object> config, VariableView variables) {
        Map<String, Object> names = new LinkedHashMap<>();
        if (config.get("prompt_config") instanceof Map<?, ?> promptConfig
                && promptConfig.get("jinja2_variables") instanceof List<?> declared) {
            for (Object item : declared) {
                if (item instanceof Map<?, ?> variable && variable.get("variable") instanceof String name && !name.isBlank()) {
                    names.put(name, VariableSelector.fromJson(variable.get("value_selector")).flatMap(variables::get)
                            .orElse(""));
                }
            }
        }
        return names;
    }

    /**
     * A basic message with its references filled in, and the context put where {@code {{#context#}}}
     * stands after that: retrieved text is data, never a template (a chunk that reads
     * {@code {{#env.KEY#}}} stays as it reads).
     */
    private static String render(Object text, String context, VariableView variables) {
        String template = text instanceof String t ? t : "";
        String[] parts = template.split(java.util.regex.Pattern.quote(CONTEXT), -1);
        StringBuilder out = new StringBuilder(variables.render(parts[0]));
        for (int i = 1; i < parts.length; i++) {
            out.append(context).append(variables.render(parts[i]));
        }
        return out.toString();
    }

    private static final String CONTEXT = "{{#context#}}";

    /** Whether the prompt template places the context itself. */
    private static boolean placesContext(Object template) {
        if (template instanceof Map<?, ?> completion) {
            return completion.get("text") instanceof String text && text.contains(CONTEXT);
        }
        if (template instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> message && message.get("text") instanceof String text && text.contains(CONTEXT)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The context's {@code prepend} (a Weft setting, made for simple apps with knowledge): when the
     * template does not place the context and there is context, this text, with the context where
     * its {@code {{#context#}}} stands, goes before the prompt.
     */
    private static List<ChatMessage> prependContext(Map<String, Object> config, String context, List<ChatMessage> messages) {
        if (context.isEmpty() || placesContext(config.get("prompt_template"))
                || !(config.get("context") instanceof Map<?, ?> settings) || !(settings.get("prepend") instanceof String prepend)
                || prepend.isBlank()) {
            return messages;
        }
        String block = prepend.replace(CONTEXT, context);
        List<ChatMessage> out = new ArrayList<>(messages);
        if (!out.isEmpty() && out.get(0) instanceof ChatMessage.System system) {
            out.set(0, new ChatMessage.System(block + system.text()));
        } else if (config.get("prompt_template") instanceof Map<?, ?> && !out.isEmpty()
                && out.get(0) instanceof ChatMessage.User user
                && user.content().get(0) instanceof dev.weft.spi.model.ContentPart.Text first) {
            // a completion prompt is one user message: the knowledge goes before its text
            List<dev.weft.spi.model.ContentPart> parts = new ArrayList<>(user.content());
            parts.set(0, new dev.weft.spi.model.ContentPart.Text(block + first.text()));
            out.set(0, new ChatMessage.User(parts));
        } else {
            out.add(0, new ChatMessage.System(block));
        }
        return out;
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

    /**
     * The knowledge the context gave the model, as Dify's {@code retriever_resources} (its
     * citations): each context item that a knowledge-retrieval node found ({@code metadata._source}
     * {@code knowledge}), with its base, document, segment, score and content. Empty when the
     * context is off or holds no such item.
     */
    static List<Map<String, Object>> retrieverResources(Map<String, Object> config, VariableView variables) {
        if (!(config.get("context") instanceof Map<?, ?> context) || !Boolean.TRUE.equals(context.get("enabled"))) {
            return List.of();
        }
        Object value = VariableSelector.fromJson(context.get("variable_selector")).flatMap(variables::get).orElse(null);
        if (!(value instanceof List<?> items)) {
            return List.of();
        }
        List<Map<String, Object>> resources = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> chunk) || !(chunk.get("metadata") instanceof Map<?, ?> metadata)
                    || !"knowledge".equals(metadata.get("_source"))) {
                continue;
            }
            Map<String, Object> resource = new java.util.LinkedHashMap<>();
            resource.put("position", metadata.get("position") instanceof Number n ? n : resources.size() + 1);
            for (String key : List.of("dataset_id", "dataset_name", "document_id", "document_name", "data_source_type",
                    "segment_id", "retriever_from", "score", "hit_count", "word_count", "segment_position",
                    "index_node_hash")) {
                resource.put(key, metadata.get(key));
            }
            resource.put("content", chunk.get("content"));
            resource.put("page", metadata.get("page"));
            resource.put("doc_metadata", metadata.get("doc_metadata"));
            resource.put("title", chunk.get("title"));
            resources.add(resource);
        }
        return resources;
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
