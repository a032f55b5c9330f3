package dev.weft.platform.engine.internal.run;

import dev.weft.platform.engine.internal.graph.Graph;
import dev.weft.platform.engine.internal.graph.GraphEdge;
import dev.weft.platform.engine.internal.graph.GraphNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds small graphs for tests: {@code graph().node("a", "echo", data).edge("s", "a").build()}. */
final class TestGraph {

    private final List<GraphNode> nodes = new ArrayList<>();
    private final List<GraphEdge> edges = new ArrayList<>();

    static TestGraph graph() {
        return new TestGraph().node("s", "start", Map.of());
    }

    TestGraph node(String id, String type, Map<String, Object> data) {
        return child(id, type, data, null);
    }

    TestGraph child(String id, String type, Map<String, Object> data, String parent) {
        Map<String, Object> config = new LinkedHashMap<>(data);
        config.put("type", type);
        nodes.add(new GraphNode(id, type, id.toUpperCase(java.util.Locale.ROOT), config, parent));
        return this;
    }

    TestGraph edge(String source, String target) {
        return edge(source, "source", target);
    }

    TestGraph edge(String source, String handle, String target) {
        edges.add(new GraphEdge(source + "-" + handle + "-" + target, source, handle, target));
        return this;
    }

    Graph build() {
        return new Graph(nodes, edges);
    }
}
