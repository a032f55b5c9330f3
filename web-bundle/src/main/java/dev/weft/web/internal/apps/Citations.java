package dev.weft.web.internal.apps;

import dev.weft.api.workflow.RunEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An answer's citations, Dify's {@code retriever_resources}: the knowledge the LLM node that
 * answered last was given in its context (it lists them in its metadata). Shown only when the app
 * turns citations on (its {@code retriever_resource} feature); otherwise always empty.
 */
public final class Citations implements Consumer<RunEvent> {

    private final boolean shown;
    private volatile List<Map<String, Object>> last = List.of();

    private Citations(boolean shown) {
        this.shown = shown;
    }

    /** No citations, ever. */
    public static Citations none() {
        return new Citations(false);
    }

    /** The citations of a run of this app (version). */
    public static Citations of(dev.weft.platform.engine.AppDefinition app) {
        return new Citations(AppFeatures.enabled(app, "retriever_resource"));
    }

    /** Whether the app shows citations. */
    public boolean shown() {
        return shown;
    }

    @Override
    public void accept(RunEvent event) {
        if (shown && event instanceof RunEvent.NodeFinished finished
                && finished.metadata().get("retriever_resources") instanceof List<?> cited && !cited.isEmpty()) {
            last = copy(cited);
        }
    }

    /** The citations so far: the last answering node's, or none. */
    public List<Map<String, Object>> list() {
        return last;
    }

    /** Citations kept with a message (a JSON array), as the message list shows them. */
    public static List<Map<String, Object>> stored(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            Object parsed = dev.weft.web.internal.json.Json.mapper().readValue(json, Object.class);
            return parsed instanceof List<?> items ? copy(items) : List.of();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    private static List<Map<String, Object>> copy(List<?> items) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof Map<?, ?> map) {
                Map<String, Object> resource = new LinkedHashMap<>();
                map.forEach((key, value) -> resource.put(String.valueOf(key), value));
                out.add(resource);
            }
        }
        return List.copyOf(out);
    }
}
