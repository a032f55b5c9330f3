package dev.weft.platform.engine.internal.graph;

import java.util.Map;
import java.util.Objects;

/**
 * A node of an app graph.
 *
 * @param id its id, unique in the graph
 * @param type its type id ({@code data.type}); empty for canvas notes
 * @param title its title, for traces
 * @param data its configuration, the DSL's {@code data} block
 * @param parentId the container (iteration or loop) it belongs to, or null at the top level
 */
public record GraphNode(String id, String type, String title, Map<String, Object> data, String parentId) {

    /** Node types the engine itself runs: containers and their markers. */
    public static final java.util.Set<String> STRUCTURAL =
            java.util.Set.of("iteration", "iteration-start", "loop", "loop-start", "loop-end");

    public GraphNode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        title = title == null || title.isBlank() ? id : title;
        data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
    }

    /** A sticky note of the canvas: kept in the file, never run. */
    public boolean isNote() {
        return type.isEmpty();
    }

    /** An iteration or a loop. */
    public boolean isContainer() {
        return type.equals("iteration") || type.equals("loop");
    }

    /** Run by the engine rather than by a node-type plug-in. */
    public boolean isStructural() {
        return STRUCTURAL.contains(type);
    }

    /** The node's version ({@code data.version}), {@code "1"} when absent. */
    public String version() {
        Object version = data.get("version");
        return version == null ? "1" : String.valueOf(version);
    }
}
