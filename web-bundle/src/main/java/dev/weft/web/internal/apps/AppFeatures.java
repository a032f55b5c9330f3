package dev.weft.web.internal.apps;

import dev.weft.platform.engine.AppDefinition;
import java.util.Map;

/**
 * An app's feature settings as Dify keeps them: a graph app's {@code workflow.features}, a simple
 * app's {@code model_config} (where {@code opening_statement}, {@code retriever_resource} and the
 * other toggles sit beside the prompt).
 */
public final class AppFeatures {

    private AppFeatures() {
    }

    /** The features block of the app's document (empty when it has none). */
    public static Map<?, ?> of(AppDefinition app) {
        Map<String, Object> document = app.document();
        if (app.isGraph()) {
            return document.get("workflow") instanceof Map<?, ?> w && w.get("features") instanceof Map<?, ?> f ? f : Map.of();
        }
        return document.get("model_config") instanceof Map<?, ?> c ? c : Map.of();
    }

    /** Whether a feature toggle ({@code {"enabled": true}}) is on. */
    public static boolean enabled(AppDefinition app, String feature) {
        return of(app).get(feature) instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("enabled"));
    }
}
