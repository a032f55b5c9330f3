package dev.weft.platform.engine.internal.dsl;

import dev.weft.platform.engine.AppDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes an app as a DSL file: the lowest DSL version that carries everything the app uses
 * (0.6.0 for ordinary apps, 0.7.0 for Dify's New Agent), secret environment variables blank, tool
 * and agent credentials left out, keys sorted.
 */
public final class DslWriter {

    static final String ORDINARY_VERSION = "0.6.0";
    static final String AGENT_VERSION = "0.7.0";
    private static final Set<String> CREDENTIAL_KEYS = Set.of("credential_id");

    private DslWriter() {
    }

    public static byte[] write(AppDefinition app) {
        Map<String, Object> document = mutable(app.document());
        document.put("version", version(app));
        document.put("kind", "app");
        if (document.get("workflow") instanceof Map<?, ?> workflow) {
            blankSecrets(workflow.get("environment_variables"));
            if (workflow.get("graph") instanceof Map<?, ?> graph && graph.get("nodes") instanceof List<?> nodes) {
                for (Object node : nodes) {
                    if (node instanceof Map<?, ?> map && map.get("data") instanceof Map<?, ?> data) {
                        String type = String.valueOf(data.get("type"));
                        if (type.equals("tool") || type.equals("agent")) {
                            data.keySet().removeAll(CREDENTIAL_KEYS);
                        }
                    }
                }
            }
        }
        return Yaml.write(document).getBytes(StandardCharsets.UTF_8);
    }

    /** The lowest version that carries the app: agents and their packages need 0.7.0. */
    static String version(AppDefinition app) {
        Map<String, Object> document = app.document();
        if (app.mode().equals("agent") || document.containsKey("agent_packages") || document.containsKey("agent")) {
            return AGENT_VERSION;
        }
        return ORDINARY_VERSION;
    }

    @SuppressWarnings("unchecked")
    private static void blankSecrets(Object variables) {
        if (variables instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> variable && "secret".equals(variable.get("value_type"))) {
                    ((Map<String, Object>) variable).put("value", "");
                }
            }
        }
    }

    /** A deep copy that can be changed. */
    @SuppressWarnings("unchecked")
    private static <T> T mutable(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put((String) key, mutable(item)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(mutable(item)));
            return (T) copy;
        }
        return (T) value;
    }
}
