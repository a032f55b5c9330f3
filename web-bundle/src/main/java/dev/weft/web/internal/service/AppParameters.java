package dev.weft.web.internal.service;

import dev.weft.platform.engine.AppDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Dify's {@code GET /parameters} says of an app, read from its DSL document: the input form,
 * the opening statement and suggested questions, the feature toggles, the file upload settings and
 * the system limits. Graph apps keep these in {@code workflow.features} and their start node's
 * variables; prompt-and-model apps in {@code model_config}.
 */
final class AppParameters {

    static final long FILE_SIZE_LIMIT_MB = 15;

    private AppParameters() {
    }

    static Map<String, Object> of(AppDefinition app) {
        Map<?, ?> features = features(app);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("opening_statement", features.get("opening_statement") instanceof String s ? s : "");
        body.put("suggested_questions", features.get("suggested_questions") instanceof List<?> l ? l : List.of());
        for (String toggle : List.of("suggested_questions_after_answer", "speech_to_text", "text_to_speech",
                "retriever_resource", "annotation_reply", "more_like_this", "sensitive_word_avoidance")) {
            body.put(toggle, features.get(toggle) instanceof Map<?, ?> m ? m : Map.of("enabled", false));
        }
        body.put("user_input_form", form(app));
        body.put("file_upload", features.get("file_upload") instanceof Map<?, ?> m ? m
                : Map.of("image", Map.of("enabled", false, "number_limits", 3, "detail", "high",
                        "transfer_methods", List.of("remote_url", "local_file"))));
        Map<String, Object> system = new LinkedHashMap<>();
        system.put("file_size_limit", FILE_SIZE_LIMIT_MB);
        system.put("image_file_size_limit", 10);
        system.put("audio_file_size_limit", 50);
        system.put("video_file_size_limit", 100);
        system.put("workflow_file_upload_limit", 10);
        body.put("system_parameters", system);
        return body;
    }

    /** Whether a feature toggle ({@code {"enabled": true}}) is on. */
    static boolean enabled(AppDefinition app, String feature) {
        return dev.weft.web.internal.apps.AppFeatures.enabled(app, feature);
    }

    private static Map<?, ?> features(AppDefinition app) {
        return dev.weft.web.internal.apps.AppFeatures.of(app);
    }

    /** The input form as Dify lists it: {@code [{"text-input": {variable, label, required, ...}}]}. */
    static List<Map<String, Object>> form(AppDefinition app) {
        List<Map<String, Object>> form = new ArrayList<>();
        if (!app.isGraph()) {
            if (features(app).get("user_input_form") instanceof List<?> items) {
                for (Object item : items) {
                    if (item instanceof Map<?, ?> control && control.size() == 1) {
                        Map<String, Object> copy = new LinkedHashMap<>();
                        control.forEach((k, v) -> copy.put(String.valueOf(k), v));
                        form.add(copy);
                    }
                }
            }
            return form;
        }
        for (Map<?, ?> variable : startVariables(app)) {
            String type = variable.get("type") instanceof String t ? t : "text-input";
            Map<String, Object> control = new LinkedHashMap<>();
            variable.forEach((k, v) -> {
                if (!"type".equals(k)) {
                    control.put(String.valueOf(k), v);
                }
            });
            form.add(Map.of(type, control));
        }
        return form;
    }

    private static List<Map<?, ?>> startVariables(AppDefinition app) {
        List<Map<?, ?>> variables = new ArrayList<>();
        if (app.document().get("workflow") instanceof Map<?, ?> workflow && workflow.get("graph") instanceof Map<?, ?> graph
                && graph.get("nodes") instanceof List<?> nodes) {
            for (Object node : nodes) {
                if (node instanceof Map<?, ?> n && n.get("data") instanceof Map<?, ?> data && "start".equals(data.get("type"))
                        && data.get("variables") instanceof List<?> list) {
                    for (Object item : list) {
                        if (item instanceof Map<?, ?> variable) {
                            variables.add(variable);
                        }
                    }
                }
            }
        }
        return variables;
    }

    /**
     * Checks the inputs against the form: each required input is present and non-empty, selects
     * take one of their options, strings stay within their length. Dify's messages.
     *
     * @throws ServiceError {@code invalid_param} naming the first input that fails
     */
    static void check(AppDefinition app, Map<String, Object> inputs) {
        for (Map<String, Object> item : form(app)) {
            Map.Entry<String, Object> entry = item.entrySet().iterator().next();
            String type = entry.getKey();
            if (!(entry.getValue() instanceof Map<?, ?> control) || !(control.get("variable") instanceof String name)) {
                continue;
            }
            Object value = inputs.get(name);
            boolean empty = value == null || (value instanceof String s && s.isEmpty());
            if (empty) {
                if (Boolean.TRUE.equals(control.get("required"))) {
                    throw ServiceError.invalid(name + " is required in input form");
                }
                continue;
            }
            if (type.equals("select") && control.get("options") instanceof List<?> options && !options.contains(value)) {
                throw ServiceError.invalid(name + " in input form must be one of the following: " + options);
            }
            if ((type.equals("text-input") || type.equals("paragraph")) && value instanceof String text
                    && control.get("max_length") instanceof Number max && max.intValue() > 0
                    && text.length() > max.intValue()) {
                throw ServiceError.invalid(name + " in input form must be less than " + max.intValue() + " characters");
            }
            if (type.equals("number") && !(value instanceof Number)) {
                if (!(value instanceof String s) || !s.matches("-?\\d+(\\.\\d+)?")) {
                    throw ServiceError.invalid(name + " in input form must be a valid number");
                }
            }
        }
    }
}
