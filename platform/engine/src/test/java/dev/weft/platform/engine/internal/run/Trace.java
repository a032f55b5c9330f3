package dev.weft.platform.engine.internal.run;

import dev.weft.api.workflow.RunEvent;
import dev.weft.platform.engine.internal.graph.Graph;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs a graph and keeps its events, with a compact form of them for ordered assertions. */
final class Trace {

    final List<RunEvent> events = new ArrayList<>();
    final List<Duration> sleeps = new ArrayList<>();
    WorkflowRun.Outcome outcome;
    /** Hears every event as it is sent. */
    volatile java.util.function.Consumer<RunEvent> listener = event -> { };

    static Trace run(Graph graph, Map<String, Object> inputs) {
        return run(graph, inputs, new TestNodes(), Limits.DEFAULTS);
    }

    static Trace run(Graph graph, Map<String, Object> inputs, TestNodes nodes, Limits limits) {
        Trace trace = new Trace();
        trace.outcome = trace.prepare(graph, inputs, nodes, limits, Map.of()).execute();
        return trace;
    }

    WorkflowRun prepare(Graph graph, Map<String, Object> inputs, TestNodes nodes, Limits limits,
            Map<String, Object> conversation) {
        RunSpec spec = new RunSpec("run-1", "ws-1", "app-1", "wf-1", "workflow", graph, inputs,
                Map.of("user_id", "u-1"), Map.of("region", "eu"), conversation);
        return new WorkflowRun(spec, nodes, limits, Clock.systemUTC(), duration -> sleeps.add(duration), this::add);
    }

    private synchronized void add(RunEvent event) {
        events.add(event);
        listener.accept(event);
    }

    /** The events as short lines: "started s", "finished s succeeded", "retried f 1", "run succeeded"... */
    synchronized List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (RunEvent event : events) {
            lines.add(switch (event) {
                case RunEvent.RunStarted e -> "run started";
                case RunEvent.NodeStarted e -> "started " + e.nodeId();
                case RunEvent.NodeFinished e -> "finished " + e.nodeId() + " " + e.status().wireName();
                case RunEvent.NodeRetried e -> "retried " + e.nodeId() + " " + e.attempt();
                case RunEvent.TextChunk e -> "chunk " + e.nodeId() + " " + e.text();
                case RunEvent.IterationStarted e -> "iteration started " + e.nodeId() + " " + e.count();
                case RunEvent.IterationNext e -> "iteration next " + e.nodeId() + " " + e.index();
                case RunEvent.IterationCompleted e -> "iteration completed " + e.nodeId() + " " + e.status().wireName();
                case RunEvent.LoopStarted e -> "loop started " + e.nodeId();
                case RunEvent.LoopNext e -> "loop next " + e.nodeId() + " " + e.index();
                case RunEvent.LoopCompleted e -> "loop completed " + e.nodeId() + " " + e.status().wireName();
                case RunEvent.RunFinished e -> "run " + e.status().wireName();
            });
        }
        return lines;
    }

    <T extends RunEvent> List<T> all(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
