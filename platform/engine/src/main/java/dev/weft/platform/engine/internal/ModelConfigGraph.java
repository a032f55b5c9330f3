package dev.weft.platform.engine.internal;

import dev.weft.api.core.WeftException;
import dev.weft.platform.engine.AppDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The graph that runs a Dify app of the simple kinds ({@code chat}, {@code agent-chat} without
 * tools, {@code completion}), built from its {@code model_config}: a start node with the app's
 * input form, an llm node with its prompt and model, and an answer (chat) or an end node giving
 * {@code answer} (completion). Input variables written {@code {{name}}} in the prompt become
 * {@code {{#start.name#}}}.
 *
 * <p>An app with knowledge bases in its {@code dataset_configs} ("context") gets a
 * knowledge-retrieval node before the llm node: it searches the bases with the user's query (a
 * completion app's {@code dataset_query_variable} input) by the app's top-k, score threshold and
 * rerank settings (bases the workspace does not have are left out, as Dify does), and the llm node
 * takes what it found as its context. A simple prompt without a {@code {{#context#}}} of its own
 * gets the knowledge before it, when some was found.
 */
final class ModelConfigGraph {

    /** The simple app modes that run as a graph. */
    static final java.util.Set<String> RUNNABLE = java.util.Set.of("chat", "agent-chat", "completion");

    private static final Pattern INPUT = Pattern.compile("\\{\\{([A-Za-z_][A-Za-z0-9_]{0,49})}}");

    private ModelConfigGraph() {
    }

    /** The graph block ({@code {nodes, edges}}) for the app. */
    static Map<String, Object> of(AppDefinition app) {
        Map<?, ?> config = app.document().get("model_config") instanceof Map<?, ?> c ? c : Map.of();
        if (config.get("agent_mode") instanceof Map<?, ?> agent && Boolean.TRUE.equals(agent.get("enabled"))
                && agent.get("tools") instanceof List<?> tools && !tools.isEmpty()) {
            throw new WeftException("app_not_runnable", "this agent app uses tools, and agents with tools do not run"
                    + " in Weft yet");
        }
        boolean completion = app.mode().equals("completion");
        List<Map<String, Object>> nodes = new ArrayList<>();
        nodes.add(node("start", Map.of("type", "start", "title", "Start", "variables", startVariables(config))));

        Map<String, Object> retrieval = retrieval(config, completion);
        if (retrieval != null) {
            nodes.add(node(KNOWLEDGE, retrieval));
        }

        Map<String, Object> llm = new LinkedHashMap<>();
        llm.put("type", "llm");
        llm.put("title", "LLM");
        llm.put("model", config.get("model") instanceof Map<?, ?> model ? model : Map.of());
        if (retrieval != null) {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("enabled", true);
            context.put("variable_selector", List.of(KNOWLEDGE, "result"));
            if (!"advanced".equals(config.get("prompt_type"))) {
                // a simple prompt gets the knowledge before it, when there is some and the prompt does not place
                // it; an advanced prompt has it where its author wrote {{#context#}}, or not at all (as in Dify)
                context.put("prepend", KNOWLEDGE_PROMPT);
            }
            llm.put("context", context);
        }
        if ("advanced".equals(config.get("prompt_type"))) {
            llm.put("prompt_template", advancedPrompt(config, completion));
        } else {
            String prePrompt = inputs(config.get("pre_prompt") instanceof String p ? p : "");
            if (completion) {
                llm.put("prompt_template", Map.of("text", prePrompt));
            } else {
                llm.put("prompt_template", prePrompt.isBlank() ? List.of()
                        : List.of(Map.of("role", "system", "text", prePrompt)));
            }
        }
        if (!completion) {
            llm.put("memory", Map.of("window", Map.of("enabled", true, "size", 50),
                    "query_prompt_template", "{{#sys.query#}}"));
        }
        if (config.get("file_upload") instanceof Map<?, ?> upload && upload.get("image") instanceof Map<?, ?> image
                && Boolean.TRUE.equals(image.get("enabled"))) {
            llm.put("vision", Map.of("enabled", true, "configs", Map.of("variable_selector", List.of("sys", "files"),
                    "detail", image.get("detail") instanceof String d ? d : "high")));
        }
        nodes.add(node("llm", llm));
        if (completion) {
            nodes.add(node("end", Map.of("type", "end", "title", "End",
                    "outputs", List.of(Map.of("variable", "answer", "value_selector", List.of("llm", "text"))))));
        } else {
            nodes.add(node("answer", Map.of("type", "answer", "title", "Answer", "answer", "{{#llm.text#}}")));
        }
        String last = completion ? "end" : "answer";
        List<Map<String, Object>> edges = retrieval == null ? List.of(edge("start", "llm"), edge("llm", last))
                : List.of(edge("start", KNOWLEDGE), edge(KNOWLEDGE, "llm"), edge("llm", last));
        return Map.of("nodes", nodes, "edges", edges);
    }

    /** Weights the node takes: a vector and a keyword weight, each from 0 to 1, not both 0. */
    private static boolean usable(Map<?, ?> weights) {
        if (!(weights.get("vector_setting") instanceof Map<?, ?> vector) || !(vector.get("vector_weight") instanceof Number v)
                || !(weights.get("keyword_setting") instanceof Map<?, ?> keyword)
                || !(keyword.get("keyword_weight") instanceof Number k)) {
            return false;
        }
        double semantic = v.doubleValue();
        double words = k.doubleValue();
        return semantic >= 0 && semantic <= 1 && words >= 0 && words <= 1 && semantic + words > 0;
    }

    /** The id of the knowledge-retrieval node of an app with knowledge bases. */
    static final String KNOWLEDGE = "knowledge";

    /** What a simple prompt is given before it when the app has knowledge and the prompt does not place it. */
    static final String KNOWLEDGE_PROMPT = "Answer with the help of the knowledge between the <knowledge> tags; when it"
            + " does not hold the answer, say so instead of guessing.\n<knowledge>\n{{#context#}}\n</knowledge>\n\n";

    /**
     * The knowledge-retrieval node of an app's {@code dataset_configs}, or null when it names no
     * enabled knowledge base (or a completion app names no input to search with). Dify's
     * {@code single} mode (a model picks one base) searches them all, as {@code multiple} does.
     */
    static Map<String, Object> retrieval(Map<?, ?> config, boolean completion) {
        if (!(config.get("dataset_configs") instanceof Map<?, ?> datasets)) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        Object listed = datasets.get("datasets") instanceof Map<?, ?> inner ? inner.get("datasets") : datasets.get("datasets");
        if (listed instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof String id && !id.isBlank()) {
                    ids.add(id);
                } else if (item instanceof Map<?, ?> entry && entry.get("dataset") instanceof Map<?, ?> dataset
                        && dataset.get("id") instanceof String id && !id.isBlank()
                        && Boolean.TRUE.equals(dataset.get("enabled"))) {
                    ids.add(id);
                }
            }
        }
        List<String> query;
        if (completion) {
            if (!(config.get("dataset_query_variable") instanceof String variable) || variable.isBlank()) {
                return null;
            }
            query = List.of("start", variable);
        } else {
            query = List.of("sys", "query");
        }
        if (ids.isEmpty()) {
            return null;
        }
        // what Dify's settings say, within what the node takes: a setting out of range is brought in, not refused
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("top_k", datasets.get("top_k") instanceof Number k ? Math.max(1, Math.min(1_000, k.intValue())) : 4);
        if (Boolean.TRUE.equals(datasets.get("score_threshold_enabled")) && datasets.get("score_threshold") instanceof Number t) {
            settings.put("score_threshold", Math.max(0, Math.min(1, t.doubleValue())));
        }
        boolean rerank = Boolean.TRUE.equals(datasets.get("reranking_enable"));
        settings.put("reranking_enable", rerank);
        if (rerank) {
            String mode = datasets.get("reranking_mode") instanceof String m
                    && List.of("reranking_model", "weighted_score").contains(m) ? m : "reranking_model";
            if (mode.equals("weighted_score") && datasets.get("weights") instanceof Map<?, ?> weights && usable(weights)) {
                settings.put("reranking_mode", mode);
                settings.put("weights", weights);
            } else if (datasets.get("reranking_model") instanceof Map<?, ?> model
                    && model.get("reranking_model_name") instanceof String name && !name.isBlank()) {
                settings.put("reranking_mode", "reranking_model");
                settings.put("reranking_model", Map.of("provider",
                        model.get("reranking_provider_name") instanceof String p ? p : "", "model", name));
            } else {
                settings.put("reranking_enable", false);
            }
        }
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("type", "knowledge-retrieval");
        node.put("title", "Knowledge");
        node.put("query_variable_selector", query);
        node.put("dataset_ids", ids);
        node.put("retrieval_mode", "multiple");
        node.put("multiple_retrieval_config", settings);
        node.put("missing_datasets", "skip");
        return node;
    }

    /** The run mode that gives the app's outputs: chat apps answer, completion apps end. */
    static String runMode(AppDefinition app) {
        return app.mode().equals("completion") ? "workflow" : "advanced-chat";
    }

    private static Object advancedPrompt(Map<?, ?> config, boolean completion) {
        if (completion) {
            Map<?, ?> prompt = config.get("completion_prompt_config") instanceof Map<?, ?> c
                    && c.get("prompt") instanceof Map<?, ?> p ? p : Map.of();
            return Map.of("text", inputs(prompt.get("text") instanceof String t ? t : ""));
        }
        List<Map<String, Object>> messages = new ArrayList<>();
        if (config.get("chat_prompt_config") instanceof Map<?, ?> c && c.get("prompt") instanceof List<?> prompt) {
            for (Object item : prompt) {
                if (item instanceof Map<?, ?> message) {
                    messages.add(Map.of("role", message.get("role") instanceof String r ? r : "user",
                            "text", inputs(message.get("text") instanceof String t ? t : "")));
                }
            }
        }
        return messages;
    }

    private static List<Map<String, Object>> startVariables(Map<?, ?> config) {
        List<Map<String, Object>> variables = new ArrayList<>();
        if (config.get("user_input_form") instanceof List<?> form) {
            for (Object item : form) {
                if (!(item instanceof Map<?, ?> entry) || entry.isEmpty()) {
                    continue;
                }
                Map.Entry<?, ?> typed = entry.entrySet().iterator().next();
                if (!(typed.getValue() instanceof Map<?, ?> field) || !(field.get("variable") instanceof String name)) {
                    continue;
                }
                Map<String, Object> variable = new LinkedHashMap<>();
                variable.put("variable", name);
                variable.put("label", field.get("label") instanceof String l ? l : name);
                variable.put("type", String.valueOf(typed.getKey()));
                variable.put("required", Boolean.TRUE.equals(field.get("required")));
                if (field.get("options") instanceof List<?> options) {
                    variable.put("options", options);
                }
                if (field.get("max_length") instanceof Number max) {
                    variable.put("max_length", max);
                }
                variables.add(variable);
            }
        }
        return variables;
    }

    /** {@code {{name}}} (the simple apps' input syntax) as a selector of the start node. */
    static String inputs(String text) {
        Matcher matcher = INPUT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement("{{#start." + matcher.group(1) + "#}}"));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static Map<String, Object> node(String id, Map<String, Object> data) {
        return Map.of("id", id, "type", "custom", "data", data);
    }

    private static Map<String, Object> edge(String source, String target) {
        return Map.of("id", source + "-" + target, "source", source, "target", target, "sourceHandle", "source",
                "targetHandle", "target");
    }
}
