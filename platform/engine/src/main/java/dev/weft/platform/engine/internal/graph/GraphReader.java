package dev.weft.platform.engine.internal.graph;

import dev.weft.platform.engine.Issue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Graph} from the {@code workflow.graph} block of a DSL document, reporting what
 * makes it unreadable: nodes without ids or types, duplicate ids, edges to nodes that do not exist.
 */
public final class GraphReader {

    private GraphReader() {
    }

    /** The graph, or null when the block is missing or not a graph; every problem goes to {@code issues}. */
    public static Graph read(Object graphBlock, List<Issue> issues) {
        if (!(graphBlock instanceof Map<?, ?> graph)) {
            issues.add(Issue.error("graph_missing", "the workflow has no graph", null));
            return null;
        }
        if (!(graph.get("nodes") instanceof List<?> nodeList) || nodeList.isEmpty()) {
            issues.add(Issue.error("graph_missing", "the workflow graph has no nodes", null));
            return null;
        }
        List<GraphNode> nodes = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int position = 0;
        for (Object item : nodeList) {
            position++;
            GraphNode node = node(item, position, issues);
            if (node == null) {
                continue;
            }
            if (!ids.add(node.id())) {
                issues.add(Issue.error("node_duplicate", "two nodes have the id " + node.id(), node.id()));
                continue;
            }
            nodes.add(node);
        }
        List<GraphEdge> edges = new ArrayList<>();
        Object edgeList = graph.get("edges");
        if (edgeList != null && !(edgeList instanceof List<?>)) {
            issues.add(Issue.error("graph_invalid", "the graph's edges are not a list", null));
        } else if (edgeList instanceof List<?> list) {
            position = 0;
            for (Object item : list) {
                position++;
                GraphEdge edge = edge(item, position, ids, issues);
                if (edge != null) {
                    edges.add(edge);
                }
            }
        }
        for (GraphNode node : nodes) {
            if (node.parentId() != null && !ids.contains(node.parentId())) {
                issues.add(Issue.error("container_missing", "the node belongs to container " + node.parentId()
                        + ", which does not exist", node.id()));
            }
        }
        return new Graph(nodes, edges);
    }

    private static GraphNode node(Object item, int position, List<Issue> issues) {
        if (!(item instanceof Map<?, ?> node)) {
            issues.add(Issue.error("node_invalid", "node #" + position + " is not a mapping", null));
            return null;
        }
        String id = text(node.get("id"));
        if (id == null || id.isBlank()) {
            issues.add(Issue.error("node_invalid", "node #" + position + " has no id", null));
            return null;
        }
        Object data = node.get("data");
        boolean note = "custom-note".equals(node.get("type"));
        if (!(data instanceof Map<?, ?> dataMap)) {
            if (note) {
                return new GraphNode(id, "", "note", Map.of(), null);
            }
            issues.add(Issue.error("node_invalid", "the node has no data block", id));
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) dataMap;
        String type = note ? "" : text(config.get("type"));
        if (type == null) {
            issues.add(Issue.error("node_invalid", "the node has no type", id));
            return null;
        }
        return new GraphNode(id, type, text(config.get("title")), config, parent(node, config));
    }

    /** The container: {@code parentId}, or for older files the iteration or loop id in the data. */
    private static String parent(Map<?, ?> node, Map<String, Object> data) {
        String parent = text(node.get("parentId"));
        if (parent != null && !parent.isBlank()) {
            return parent;
        }
        if (Boolean.TRUE.equals(data.get("isInIteration")) && text(data.get("iteration_id")) != null) {
            return text(data.get("iteration_id"));
        }
        if (Boolean.TRUE.equals(data.get("isInLoop")) && text(data.get("loop_id")) != null) {
            return text(data.get("loop_id"));
        }
        return null;
    }

    private static GraphEdge edge(Object item, int position, Set<String> ids, List<Issue> issues) {
        if (!(item instanceof Map<?, ?> edge)) {
            issues.add(Issue.error("edge_invalid", "edge #" + position + " is not a mapping", null));
            return null;
        }
        String source = text(edge.get("source"));
        String target = text(edge.get("target"));
        String id = text(edge.get("id"));
        String name = id == null ? "#" + position : id;
        if (source == null || target == null) {
            issues.add(Issue.error("edge_invalid", "edge " + name + " lacks a source or a target", null));
            return null;
        }
        boolean ok = true;
        if (!ids.contains(source)) {
            issues.add(Issue.error("dangling_edge", "edge " + name + " starts at node " + source
                    + ", which does not exist", null));
            ok = false;
        }
        if (!ids.contains(target)) {
            issues.add(Issue.error("dangling_edge", "edge " + name + " ends at node " + target
                    + ", which does not exist", source));
            ok = false;
        }
        return ok ? new GraphEdge(id == null ? source + "-" + target : id, source, text(edge.get("sourceHandle")), target)
                : null;
    }

    /** Ids and handles may be written as numbers in older files. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        return null;
    }
}
