package dev.weft.platform.engine.internal.graph;

import dev.weft.api.core.Violation;
import dev.weft.platform.engine.Issue;
import dev.weft.spi.node.NodeType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a graph for everything that would stop it from running, and reports every problem at
 * once, each with its node: edges across containers, cycles, missing entries, references to
 * variables that cannot exist, configuration its node type refuses, and node types no installed
 * plug-in provides (a warning: the app imports and says what it needs).
 */
public final class GraphValidator {

    /** The system variables a graph may read. */
    public static final Set<String> SYSTEM_VARIABLES = Set.of("query", "files", "conversation_id", "user_id",
            "app_id", "workflow_id", "workflow_run_id", "timestamp", "dialogue_count", "user_email", "invoke_from");

    private final Function<String, Optional<NodeType>> nodeTypes;

    public GraphValidator(Function<String, Optional<NodeType>> nodeTypes) {
        this.nodeTypes = nodeTypes;
    }

    /**
     * Checks a graph.
     *
     * @param environment the names of the app's environment variables
     * @param conversation the names of the app's conversation variables
     */
    public void check(Graph graph, Set<String> environment, Set<String> conversation, List<Issue> issues) {
        checkEdges(graph, issues);
        checkScope(graph, null, issues);
        for (GraphNode node : graph.nodes().values()) {
            if (node.isContainer()) {
                checkContainer(graph, node, issues);
                checkScope(graph, node.id(), issues);
            }
        }
        Set<String> missingTypes = new LinkedHashSet<>();
        for (GraphNode node : graph.nodes().values()) {
            if (node.isNote()) {
                continue;
            }
            checkReferences(graph, node, environment, conversation, issues);
            checkType(node, missingTypes, issues);
        }
    }

    private static void checkEdges(Graph graph, List<Issue> issues) {
        for (GraphEdge edge : graph.edges()) {
            GraphNode source = graph.nodes().get(edge.source());
            GraphNode target = graph.nodes().get(edge.target());
            if (source.isNote() || target.isNote()) {
                continue;
            }
            if (!Objects.equals(source.parentId(), target.parentId())) {
                issues.add(Issue.error("edge_crosses_container", "edge " + edge.id() + " joins node " + source.id()
                        + " and node " + target.id() + ", which are not in the same container", source.id()));
            }
        }
    }

    /** One entry, and no cycle: loops are containers, never edges that come back. */
    private static void checkScope(Graph graph, String containerId, List<Issue> issues) {
        List<GraphNode> scope = graph.scope(containerId);
        if (containerId == null) {
            long starts = scope.stream().filter(node -> node.type().equals("start")).count();
            long triggers = scope.stream().filter(node -> node.type().startsWith("trigger-")).count();
            if (starts == 0 && triggers == 0) {
                issues.add(Issue.error("start_missing", "the graph has no start node", null));
            } else if (starts > 1) {
                issues.add(Issue.error("start_duplicate", "the graph has " + starts + " start nodes; it may have one",
                        null));
            }
        }
        cycle(graph, scope).ifPresent(cycle -> issues.add(Issue.error("cycle", "the edges form a cycle through nodes "
                + String.join(" → ", cycle) + "; repeat work with a loop node instead", cycle.get(0))));
    }

    private static Optional<List<String>> cycle(Graph graph, List<GraphNode> scope) {
        Set<String> inScope = new HashSet<>();
        scope.forEach(node -> inScope.add(node.id()));
        Map<String, Integer> state = new HashMap<>();
        for (GraphNode node : scope) {
            if (state.getOrDefault(node.id(), 0) == 0) {
                Deque<String> path = new ArrayDeque<>();
                Optional<List<String>> cycle = visit(graph, node.id(), inScope, state, path);
                if (cycle.isPresent()) {
                    return cycle;
                }
            }
        }
        return Optional.empty();
    }

    /** Depth-first search; 1 = on the current path, 2 = done. Iterative to survive long chains. */
    private static Optional<List<String>> visit(Graph graph, String from, Set<String> inScope,
            Map<String, Integer> state, Deque<String> path) {
        Deque<java.util.Iterator<GraphEdge>> stack = new ArrayDeque<>();
        state.put(from, 1);
        path.addLast(from);
        stack.push(graph.outgoing(from).iterator());
        while (!stack.isEmpty()) {
            java.util.Iterator<GraphEdge> next = stack.peek();
            if (!next.hasNext()) {
                stack.pop();
                state.put(path.removeLast(), 2);
                continue;
            }
            String target = next.next().target();
            if (!inScope.contains(target)) {
                continue;
            }
            int seen = state.getOrDefault(target, 0);
            if (seen == 1) {
                List<String> cycle = new ArrayList<>();
                boolean in = false;
                for (String id : path) {
                    in |= id.equals(target);
                    if (in) {
                        cycle.add(id);
                    }
                }
                cycle.add(target);
                return Optional.of(cycle);
            }
            if (seen == 0) {
                state.put(target, 1);
                path.addLast(target);
                stack.push(graph.outgoing(target).iterator());
            }
        }
        return Optional.empty();
    }

    private static void checkContainer(Graph graph, GraphNode container, List<Issue> issues) {
        Optional<GraphNode> start = graph.containerStart(container);
        if (start.isEmpty()) {
            issues.add(Issue.error("container_start_missing", "the " + container.type()
                    + " has no start node (start_node_id)", container.id()));
        } else if (!container.id().equals(start.get().parentId())) {
            issues.add(Issue.error("container_start_missing", "the " + container.type() + "'s start node "
                    + start.get().id() + " is not inside it", container.id()));
        }
        if (container.type().equals("iteration") && !(container.data().get("iterator_selector") instanceof List<?> list
                && list.size() >= 2)) {
            issues.add(Issue.error("node_invalid", "the iteration has no iterator_selector", container.id()));
        }
        if (container.type().equals("loop")) {
            Object count = container.data().get("loop_count");
            if (count != null && !(count instanceof Number)) {
                issues.add(Issue.error("node_invalid", "loop_count must be a number", container.id()));
            }
        }
    }

    private static void checkReferences(Graph graph, GraphNode node, Set<String> environment,
            Set<String> conversation, List<Issue> issues) {
        for (References.Reference reference : References.in(node.data())) {
            String owner = reference.selector().get(0);
            String name = reference.selector().get(1);
            String problem = switch (owner) {
                case "sys" -> SYSTEM_VARIABLES.contains(name) ? null : "there is no system variable sys." + name;
                case "env" -> environment.contains(name) ? null : "there is no environment variable " + name;
                case "conversation" -> conversation.contains(name) ? null
                        : "there is no conversation variable " + name;
                default -> graph.nodes().containsKey(owner) ? null : "there is no node " + owner;
            };
            if (problem != null) {
                issues.add(Issue.error("selector_unresolvable", "the variable " + String.join(".", reference.selector())
                        + " at " + reference.where() + " cannot exist: " + problem, node.id()));
            }
        }
    }

    private void checkType(GraphNode node, Set<String> missingTypes, List<Issue> issues) {
        if (node.isStructural()) {
            return;
        }
        Optional<NodeType> type = nodeTypes.apply(node.type());
        if (type.isEmpty()) {
            issues.add(Issue.warning("node_type_missing", "no installed plug-in provides the node type '"
                    + node.type() + "'", node.id()));
            missingTypes.add(node.type());
            return;
        }
        try {
            List<Violation> violations = type.get().validate(node.data());
            for (Violation violation : violations) {
                issues.add(Issue.error("node_invalid", node.type() + " configuration: " + violation, node.id()));
            }
        } catch (RuntimeException | LinkageError e) {
            issues.add(Issue.error("node_invalid", "the " + node.type() + " node type could not check this node: "
                    + e.getMessage(), node.id()));
        }
    }
}
