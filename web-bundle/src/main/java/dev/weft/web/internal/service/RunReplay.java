package dev.weft.web.internal.service;

import dev.weft.api.workflow.NodeStatus;
import dev.weft.api.workflow.RunEvent;
import dev.weft.api.workflow.RunStatus;
import dev.weft.platform.store.NodeExecutionRecord;
import dev.weft.platform.store.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's events told again from its records, for a client that comes back to a run: its start,
 * each node execution recorded so far, and (once it has one) its end.
 */
final class RunReplay {

    private RunReplay() {
    }

    /** The run's start and its node executions so far (a running node has its start only). */
    static List<RunEvent> snapshot(RunRecord run, List<NodeExecutionRecord> executions) {
        List<RunEvent> events = new ArrayList<>();
        Instant started = run.createdAt() == null ? Instant.now() : run.createdAt();
        events.add(new RunEvent.RunStarted(run.id(), started, run.appId(), map(run.inputs())));
        for (NodeExecutionRecord execution : executions) {
            Instant nodeStarted = execution.createdAt() == null ? started : execution.createdAt();
            events.add(new RunEvent.NodeStarted(run.id(), nodeStarted, execution.id(), execution.nodeId(),
                    execution.nodeType(), execution.title(), execution.position(), execution.predecessorId(),
                    map(execution.inputs()), execution.iterationId(), execution.loopId()));
            NodeStatus status = nodeStatus(execution.status());
            if (status != NodeStatus.RUNNING) {
                events.add(new RunEvent.NodeFinished(run.id(),
                        execution.finishedAt() == null ? nodeStarted : execution.finishedAt(), execution.id(),
                        execution.nodeId(), status, map(execution.inputs()), map(execution.outputs()), execution.error(),
                        Duration.ofMillis(execution.elapsedMillis() == null ? 0 : execution.elapsedMillis()),
                        execution.nodeType(), execution.title(), map(execution.processData()), map(execution.metadata()),
                        execution.errorType(), execution.position(), execution.iterationId(), execution.loopId()));
            }
        }
        return events;
    }

    /** The run's end as its record tells it; null while the record says it still runs. */
    static RunEvent.RunFinished finished(RunRecord run) {
        RunStatus status = runStatus(run.status());
        if (status == null || !status.isTerminal()) {
            return null;
        }
        return new RunEvent.RunFinished(run.id(), run.finishedAt() == null ? Instant.now() : run.finishedAt(), status,
                map(run.outputs()), run.error(), Duration.ofMillis(run.elapsedMillis() == null ? 0 : run.elapsedMillis()),
                run.totalSteps(), run.exceptionsCount(), run.totalTokens());
    }

    private static RunStatus runStatus(String wireName) {
        for (RunStatus status : RunStatus.values()) {
            if (status.wireName().equals(wireName)) {
                return status;
            }
        }
        return null;
    }

    private static NodeStatus nodeStatus(String wireName) {
        for (NodeStatus status : NodeStatus.values()) {
            if (status.wireName().equals(wireName)) {
                return status;
            }
        }
        return NodeStatus.FAILED;
    }

    private static Map<String, Object> map(String json) {
        return json == null || json.isBlank() ? Map.of() : ServiceApps.parse(json);
    }
}
