package dev.weft.platform.engine.internal.run;

import dev.weft.api.workflow.NodeStatus;
import dev.weft.platform.engine.internal.graph.Graph;
import dev.weft.platform.engine.internal.graph.GraphEdge;
import dev.weft.platform.engine.internal.graph.GraphNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs the nodes of one scope (the top level, or one round of a container) from its entry node:
 * a node starts once every incoming edge is decided and at least one was taken; a node whose
 * incoming edges were all skipped is skipped, and so are its own edges, so that joins never wait
 * for branches a condition left out. Nodes that are ready together run in parallel on virtual
 * threads. The first failure no error strategy handles stops the scope.
 */
final class ScopeRunner {

    private enum EdgeState {
        TAKEN,
        SKIPPED
    }

    /** How a scope ended. */
    record Outcome(NodeStatus status, String errorCode, String error, boolean loopEnd) {
        boolean failed() {
            return status == NodeStatus.FAILED || status == NodeStatus.STOPPED;
        }
    }

    private record Completion(GraphNode node, NodeOutcome outcome) {
    }

    private final RunContext run;
    private final NodeRunner nodes;
    private final Graph graph;

    ScopeRunner(RunContext run, NodeRunner nodes) {
        this.run = run;
        this.nodes = nodes;
        this.graph = run.spec.graph();
    }

    Outcome execute(Scope scope, GraphNode entry) {
        Map<String, EdgeState> edges = new HashMap<>();
        Set<String> decided = new HashSet<>();
        LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
        int running = 0;
        boolean aborting = false;
        Completion failure = null;
        boolean loopEnd = false;

        running += launch(entry, null, scope, completions, decided);
        boolean top = scope.containerId() == null;
        if (top) {
            run.answers.decided(edges::containsKey, edge -> edges.get(edge) == EdgeState.SKIPPED);
        }
        while (running > 0) {
            Completion done;
            try {
                done = completions.poll(Math.max(1, run.nanosLeft()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.stop(new RunContext.RunFailure("stopped", "the run was stopped"));
                continue;
            }
            if (done == null) {
                run.stop(new RunContext.RunFailure("timeout", "the run exceeded its time limit of "
                        + run.limits.maxTime().toSeconds() + " s"));
                run.threads.shutdownNow();
                continue;
            }
            running--;
            NodeOutcome outcome = done.outcome();
            if (outcome.blocksScope() && failure == null) {
                failure = done;
                aborting = true;
            }
            if (outcome.loopEnd()) {
                loopEnd = true;
                aborting = true;
            }
            if (aborting || run.stopping()) {
                continue;
            }
            for (GraphEdge edge : inScope(graph.outgoing(done.node().id()), scope)) {
                edges.put(edge.id(), outcome.handles().contains(edge.sourceHandle()) ? EdgeState.TAKEN : EdgeState.SKIPPED);
            }
            running += release(done.node(), scope, edges, decided, completions);
            if (top) {
                run.answers.decided(edges::containsKey, edge -> edges.get(edge) == EdgeState.SKIPPED);
            }
        }
        if (run.stopping() && (failure == null || failure.outcome().status() == NodeStatus.STOPPED)) {
            RunContext.RunFailure reason = run.stopReason();
            return new Outcome(NodeStatus.STOPPED, reason.code(), reason.message(), false);
        }
        if (failure != null) {
            return new Outcome(failure.outcome().status(), failure.outcome().errorCode(),
                    "node " + failure.node().title() + " (" + failure.node().id() + ") failed: " + failure.outcome().error(),
                    false);
        }
        return new Outcome(NodeStatus.SUCCEEDED, null, null, loopEnd);
    }

    /** Starts the targets of a finished node whose incoming edges are all decided; skips the left-out ones. */
    private int release(GraphNode from, Scope scope, Map<String, EdgeState> edges, Set<String> decided,
            LinkedBlockingQueue<Completion> completions) {
        int launched = 0;
        for (GraphEdge edge : inScope(graph.outgoing(from.id()), scope)) {
            GraphNode target = graph.nodes().get(edge.target());
            if (decided.contains(target.id())) {
                continue;
            }
            List<GraphEdge> incoming = inScope(graph.incoming(target.id()), scope);
            if (incoming.stream().anyMatch(in -> !edges.containsKey(in.id()))) {
                continue;
            }
            if (incoming.stream().anyMatch(in -> edges.get(in.id()) == EdgeState.TAKEN)) {
                launched += launch(target, from.id(), scope, completions, decided);
            } else {
                // every way in was left out: so is this node, and every way out of it
                decided.add(target.id());
                if (scope.containerId() == null) {
                    run.answers.ended(target.id(), false);
                }
                for (GraphEdge out : inScope(graph.outgoing(target.id()), scope)) {
                    edges.put(out.id(), EdgeState.SKIPPED);
                }
                launched += release(target, scope, edges, decided, completions);
            }
        }
        return launched;
    }

    private int launch(GraphNode node, String predecessor, Scope scope, LinkedBlockingQueue<Completion> completions,
            Set<String> decided) {
        decided.add(node.id());
        try {
            run.threads.execute(() -> {
                NodeOutcome outcome;
                try {
                    outcome = nodes.run(node, scope, predecessor);
                } catch (RuntimeException | LinkageError e) {
                    outcome = NodeOutcome.failed("engine_error", e.toString());
                }
                completions.add(new Completion(node, outcome));
            });
            return 1;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return 0;
        }
    }

    private List<GraphEdge> inScope(List<GraphEdge> candidates, Scope scope) {
        return candidates.stream().filter(edge -> {
            GraphNode source = graph.nodes().get(edge.source());
            GraphNode target = graph.nodes().get(edge.target());
            return source != null && target != null && !source.isNote() && !target.isNote()
                    && Objects.equals(source.parentId(), scope.containerId())
                    && Objects.equals(target.parentId(), scope.containerId());
        }).toList();
    }
}
