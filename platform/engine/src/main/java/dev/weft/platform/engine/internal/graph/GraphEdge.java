package dev.weft.platform.engine.internal.graph;

import java.util.Objects;

/**
 * An edge of an app graph.
 *
 * @param sourceHandle which outcome of the source it follows: {@code source} for every node,
 *     a case id or {@code false} after an if-else, a class id after a classifier,
 *     {@code fail-branch} or {@code success-branch} with the fail-branch error strategy
 */
public record GraphEdge(String id, String source, String sourceHandle, String target) {

    public GraphEdge {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        sourceHandle = sourceHandle == null || sourceHandle.isBlank() ? "source" : sourceHandle;
    }
}
