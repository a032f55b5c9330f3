package dev.weft.node.llm.internal;

import dev.weft.api.core.Violation;
import dev.weft.spi.model.ModelParameters;
import dev.weft.spi.model.ResponseFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node's {@code model} block as Dify writes it: {@code {provider, name, mode, completion_params}}.
 *
 * @param mode {@code chat} or {@code completion}
 */
record ModelSettings(String provider, String name, String mode, ModelParameters parameters, ResponseFormat format) {

    private static final Set<String> KNOWN = Set.of("temperature", "top_p", "max_tokens", "stop", "presence_penalty",
            "frequency_penalty", "seed", "response_format", "json_schema");

    static ModelSettings of(Map<String, Object> config) {
        Map<?, ?> model = config.get("model") instanceof Map<?, ?> m ? m : Map.of();
        String provider = model.get("provider") instanceof String p ? p : "";
        String name = model.get("name") instanceof String n ? n : "";
        String mode = model.get("mode") instanceof String m ? m : "chat";
        Map<?, ?> params = model.get("completion_params") instanceof Map<?, ?> p ? p : Map.of();
        List<String> stop = new ArrayList<>();
        if (params.get("stop") instanceof List<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).filter(s -> !s.isEmpty()).forEach(stop::add);
        } else if (params.get("stop") instanceof String single && !single.isEmpty()) {
            stop.add(single);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        ModelParameters parameters = new ModelParameters(number(params.get("temperature")), number(params.get("top_p")),
                integer(params.get("max_tokens")), stop, number(params.get("presence_penalty")),
                number(params.get("frequency_penalty")), params.get("seed") instanceof Number s ? s.longValue() : null, extra);
        ResponseFormat format = new ResponseFormat.Text();
        Object responseFormat = params.get("response_format");
        if ("json_object".equals(responseFormat)) {
            format = new ResponseFormat.JsonObject();
        } else if ("json_schema".equals(responseFormat) && params.get("json_schema") instanceof String text) {
            Object schema = Json.parse(text);
            if (schema instanceof Map<?, ?> s) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) s;
                format = new ResponseFormat.JsonSchema("response", typed.get("schema") instanceof Map<?, ?> inner
                        ? cast(inner) : typed, false);
            }
        }
        return new ModelSettings(provider, name, mode, parameters, format);
    }

    /**
     * Checks the block's shape. A missing model name is not an error: Dify files keep nodes whose model
     * was never chosen, and such a node runs with the workspace's default model.
     */
    static void validate(Map<String, Object> config, List<Violation> problems) {
        if (config.get("model") != null && !(config.get("model") instanceof Map<?, ?>)) {
            problems.add(new Violation("/model", "must be an object {provider, name, mode, completion_params}"));
            return;
        }
        Map<?, ?> model = config.get("model") instanceof Map<?, ?> m ? m : Map.of();
        if (model.get("mode") != null && !"chat".equals(model.get("mode")) && !"completion".equals(model.get("mode"))) {
            problems.add(new Violation("/model/mode", "must be chat or completion"));
        }
        if (model.get("completion_params") != null && !(model.get("completion_params") instanceof Map<?, ?>)) {
            problems.add(new Violation("/model/completion_params", "must be an object"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static Double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s && s.matches("-?\\d+(\\.\\d+)?")) {
            return Double.parseDouble(s);
        }
        return null;
    }

    private static Integer integer(Object value) {
        Double n = number(value);
        return n == null ? null : (int) Math.round(n);
    }

    static boolean isKnown(String parameter) {
        return KNOWN.contains(parameter);
    }
}
