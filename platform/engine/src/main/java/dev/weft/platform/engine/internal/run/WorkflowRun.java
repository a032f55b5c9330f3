package dev.weft.platform.engine.internal.run;

import dev.weft.api.workflow.NodeStatus;
import dev.weft.api.workflow.RunEvent;
import dev.weft.api.workflow.RunStatus;
import dev.weft.platform.engine.internal.graph.GraphNode;
import dev.weft.spi.node.NodeType;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One run of an app graph: prepared with its spec and event sink, executed once on the caller's
 * thread, stoppable from any other.
 */
public final class WorkflowRun {

    /**
     * How a run ended.
     *
     * @param outputs the merged outputs of its end nodes
     * @param answer the text of its answer nodes (chatflows)
     * @param conversation the conversation variables as the run left them
     */
    public record Outcome(RunStatus status, Map<String, Object> outputs, String answer, String error, int steps,
            int exceptions, long tokens, Duration elapsed, Map<String, Object> conversation) {
    }

    private final RunContext run;
    private volatile Consumer<Outcome> finishing = outcome -> { };

    public WorkflowRun(RunSpec spec, Function<String, Optional<NodeType>> nodeTypes, Limits limits, Clock clock,
            Sleeper sleeper, Consumer<RunEvent> sink) {
        this.run = new RunContext(spec, nodeTypes, limits, clock, sleeper, sink);
    }

    public String id() {
        return run.spec.runId();
    }

    /**
     * Sets what happens once the run's outcome is known and before {@code workflow_finished} is
     * emitted: recording what must be stored before any listener hears that the run ended.
     */
    public void beforeFinished(Consumer<Outcome> hook) {
        this.finishing = hook;
    }

    /** Gives the run its conversation's earlier turns, oldest first, for nodes with memory. */
    public void history(java.util.List<dev.weft.spi.node.ConversationTurn> turns) {
        run.history = java.util.List.copyOf(turns);
    }

    /** Asks the run to stop: running nodes are interrupted, and no other node starts. */
    public void stop() {
        run.stop(new RunContext.RunFailure("stopped", "the run was stopped"));
        run.threads.shutdownNow();
    }

    /** Executes the run to its end and reports how it ended; never throws for a node's failure. */
    public Outcome execute() {
        long started = System.nanoTime();
        RunSpec spec = run.spec;
        run.emit(new RunEvent.RunStarted(spec.runId(), run.now(), spec.workflowId(), spec.inputs()));
        VariablePool pool = new VariablePool();
        Map<String, Object> system = new LinkedHashMap<>(spec.system());
        system.put("workflow_run_id", spec.runId());
        system.putIfAbsent("app_id", spec.appId());
        system.putIfAbsent("workflow_id", spec.workflowId());
        system.putIfAbsent("timestamp", run.clock.instant().getEpochSecond());
        system.forEach((name, value) -> pool.put("sys", name, value));
        spec.environment().forEach((name, value) -> pool.put("env", name, value));
        spec.conversation().forEach((name, value) -> pool.put("conversation", name, value));
        run.answers.start(pool);

        Optional<GraphNode> start = spec.graph().start();
        ScopeRunner.Outcome outcome;
        try (run) {
            if (start.isEmpty()) {
                outcome = new ScopeRunner.Outcome(NodeStatus.FAILED, "start_missing", "the graph has no start node", false);
            } else {
                // the start node validates and passes on the raw inputs seeded under its id
                pool.putAll(start.get().id(), spec.inputs());
                outcome = new ScopeRunner(run, new NodeRunner(run)).execute(Scope.top(pool), start.get());
            }
        }
        RunStatus status = switch (outcome.status()) {
            case STOPPED -> RunStatus.STOPPED;
            case FAILED -> RunStatus.FAILED;
            default -> run.exceptions.get() > 0 ? RunStatus.PARTIAL_SUCCEEDED : RunStatus.SUCCEEDED;
        };
        Map<String, Object> outputs = run.outputs();
        String answer = run.answer();
        if (spec.mode().equals("advanced-chat")) {
            outputs.put("answer", answer);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        String error = status.isSuccessful() ? null : outcome.error();
        Outcome result = new Outcome(status, outputs, answer, error, run.steps.get(), run.exceptions.get(),
                run.tokens.get(), elapsed, pool.all("conversation"));
        finishing.accept(result);
        run.emit(new RunEvent.RunFinished(spec.runId(), run.now(), status, status.isSuccessful() ? outputs : Map.of(),
                error, elapsed, run.steps.get(), run.exceptions.get(), run.tokens.get()));
        return result;
    }

    /** For tests and defaults: the system clock and real waits. */
    public static WorkflowRun of(RunSpec spec, Function<String, Optional<NodeType>> nodeTypes, Consumer<RunEvent> sink) {
        return new WorkflowRun(spec, nodeTypes, Limits.DEFAULTS, Clock.systemUTC(), Sleeper.REAL, sink);
    }
}
