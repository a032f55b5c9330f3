package dev.weft.platform.engine.internal.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An app graph: nodes (top-level ones and the children of containers) and the edges between them.
 * Immutable once built; {@link GraphReader} builds it from a DSL document and
 * {@link GraphValidator} checks it.
 */
public final class Graph {

    private final Map<String, GraphNode> nodes;
    private final List<GraphEdge> edges;
    private final Map<String, List<GraphEdge>> outgoing = new LinkedHashMap<>();
    private final Map<String, List<GraphEdge>> incoming = new LinkedHashMap<>();

    public Graph(List<GraphNode> nodes, List<GraphEdge> edges) {
        Map<String, GraphNode> byId = new LinkedHashMap<>();
        nodes.forEach(node -> byId.putIfAbsent(node.id(), node));
        this.nodes = Collections.unmodifiableMap(byId);
        this.edges = List.copyOf(edges);
        for (GraphEdge edge : this.edges) {
            outgoing.computeIfAbsent(edge.source(), id -> new ArrayList<>()).add(edge);
            incoming.computeIfAbsent(edge.target(), id -> new ArrayList<>()).add(edge);
        }
    }

    public Map<String, GraphNode> nodes() {
        return nodes;
    }

    public List<GraphEdge> edges() {
        return edges;
    }

    public Optional<GraphNode> node(String id) {
        return Optional.ofNullable(nodes.get(id));
    }

    public List<GraphEdge> outgoing(String nodeId) {
        return outgoing.getOrDefault(nodeId, List.of());
    }

    public List<GraphEdge> incoming(String nodeId) {
        return incoming.getOrDefault(nodeId, List.of());
    }

    /** The runnable nodes of a scope: the top level ({@code null}) or one container's children. */
    public List<GraphNode> scope(String containerId) {
        return nodes.values().stream()
                .filter(node -> !node.isNote() && java.util.Objects.equals(node.parentId(), containerId))
                .toList();
    }

    /** The entry of the top level: its start node. */
    public Optional<GraphNode> start() {
        return scope(null).stream().filter(node -> node.type().equals("start")).findFirst();
    }

    /** The node a container's rounds start from: its {@code start_node_id}. */
    public Optional<GraphNode> containerStart(GraphNode container) {
        Object start = container.data().get("start_node_id");
        return start == null ? Optional.empty() : node(String.valueOf(start));
    }
}
