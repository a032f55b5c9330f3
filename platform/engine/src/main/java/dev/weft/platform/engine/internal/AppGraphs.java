package dev.weft.platform.engine.internal;

import dev.weft.platform.engine.AppDefinition;
import dev.weft.platform.engine.Issue;
import dev.weft.platform.engine.internal.graph.Graph;
import dev.weft.platform.engine.internal.graph.GraphReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the parts of an app's document that runs need: its graph and its variables. */
final class AppGraphs {

    private AppGraphs() {
    }

    static Map<?, ?> workflow(AppDefinition app) {
        return app.document().get("workflow") instanceof Map<?, ?> workflow ? workflow : Map.of();
    }

    /** The app's graph; problems reading it go to {@code issues}. */
    static Graph graph(AppDefinition app, List<Issue> issues) {
        return GraphReader.read(workflow(app).get("graph"), issues);
    }

    /** The environment variables by name. */
    static Map<String, Object> environment(AppDefinition app) {
        return values(workflow(app).get("environment_variables"));
    }

    /** The values of the app's secret environment variables. */
    static java.util.Set<String> secrets(AppDefinition app) {
        java.util.Set<String> secrets = new java.util.LinkedHashSet<>();
        if (workflow(app).get("environment_variables") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> variable && "secret".equals(variable.get("value_type"))
                        && variable.get("value") instanceof String value && !value.isEmpty()) {
                    secrets.add(value);
                }
            }
        }
        return secrets;
    }

    /** The conversation variables' default values by name. */
    static Map<String, Object> conversationDefaults(AppDefinition app) {
        return values(workflow(app).get("conversation_variables"));
    }

    private static Map<String, Object> values(Object variables) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (variables instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> variable && variable.get("name") instanceof String name) {
                    values.put(name, variable.get("value"));
                }
            }
        }
        return values;
    }
}
