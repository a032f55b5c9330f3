package dev.weft.platform.engine.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.api.workflow.RunEvent;
import dev.weft.platform.store.NodeExecutionRecord;
import dev.weft.platform.store.RunRecord;
import dev.weft.platform.store.RunRepository;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a run to the store as its events happen: the run when it starts and ends, each node
 * execution when it ends, and also when it starts if it is still running {@link #START_DELAY}
 * later (most nodes take no time: one write instead of two). Everything a node did is written
 * before the run's end is, so the end of a run describes records that are all there. A store
 * failure is logged and the run goes on.
 */
final class RunRecorder implements Consumer<RunEvent> {

    /** How long a node runs before its start is written on its own. */
    static final java.time.Duration START_DELAY = java.time.Duration.ofSeconds(1);
    private static final java.util.concurrent.ScheduledExecutorService LATER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "weft-run-recorder");
                thread.setDaemon(true);
                return thread;
            });

    /** Node starts not written yet, by execution id. */
    private final Map<String, RunEvent.NodeStarted> pending = new java.util.HashMap<>();

    private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunRepository runs;
    private final String workspaceId;
    private final String appId;
    private final String triggeredFrom;
    private final String createdBy;

    RunRecorder(RunRepository runs, String workspaceId, String appId, String triggeredFrom, String createdBy) {
        this.runs = runs;
        this.workspaceId = workspaceId;
        this.appId = appId;
        this.triggeredFrom = triggeredFrom;
        this.createdBy = createdBy;
    }

    @Override
    public void accept(RunEvent event) {
        if (runs == null) {
            return;
        }
        try {
            switch (event) {
                case RunEvent.RunStarted e -> runs.started(new RunRecord(e.runId(), workspaceId, appId, "running",
                        json(e.inputs()), null, null, null, 0, 0, 0, e.at(), null, triggeredFrom, createdBy));
                case RunEvent.RunFinished e -> {
                    flushStarts();
                    runs.finished(new RunRecord(e.runId(), workspaceId, appId,
                        e.status().wireName(), null, json(e.outputs()), e.error(), e.elapsed().toMillis(), e.totalSteps(),
                        e.totalTokens(), e.exceptionsCount(), null, e.at()));
                }
                case RunEvent.NodeStarted e -> {
                    synchronized (pending) {
                        pending.put(e.executionId(), e);
                    }
                    LATER.schedule(() -> writeStart(e.executionId()), START_DELAY.toMillis(),
                            java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                case RunEvent.NodeFinished e -> {
                    synchronized (pending) {
                        RunEvent.NodeStarted started = pending.remove(e.executionId());
                        NodeExecutionRecord record = new NodeExecutionRecord(e.executionId(), e.runId(),
                                workspaceId, e.nodeId(), e.nodeType(), e.title(), e.index(),
                                started == null ? null : started.predecessorNodeId(), e.iterationId(), e.loopId(),
                                e.status().wireName(), json(e.inputs()), json(e.processData()), json(e.outputs()),
                                json(e.metadata()), e.error(), e.errorType(), e.elapsed().toMillis(),
                                started == null ? null : started.at(), e.at());
                        if (started != null) {
                            runs.nodeRecorded(record);
                        } else {
                            runs.nodeFinished(record);
                        }
                    }
                }
                default -> {
                    // retries, chunks and container progress live in the node executions
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Could not record {} of run {}", event.getClass().getSimpleName(), event.runId(), e);
        }
    }

    /** Writes a node's start when the node is still running. */
    private void writeStart(String executionId) {
        try {
            synchronized (pending) {
                RunEvent.NodeStarted e = pending.remove(executionId);
                if (e != null) {
                    runs.nodeStarted(started(e));
                }
            }
        } catch (RuntimeException failure) {
            LOG.error("Could not record the start of node execution {}", executionId, failure);
        }
    }

    /** Writes every start not written yet (a run that ends leaves none behind). */
    private void flushStarts() {
        synchronized (pending) {
            for (RunEvent.NodeStarted e : pending.values()) {
                runs.nodeStarted(started(e));
            }
            pending.clear();
        }
    }

    private NodeExecutionRecord started(RunEvent.NodeStarted e) {
        return new NodeExecutionRecord(e.executionId(), e.runId(), workspaceId, e.nodeId(), e.nodeType(), e.title(),
                e.index(), e.predecessorNodeId(), e.iterationId(), e.loopId(), "running", json(e.inputs()), null, null,
                null, null, null, null, e.at(), null);
    }

    static String json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value == null ? Map.of() : value);
        } catch (JsonProcessingException e) {
            return "{}";
        }
    }
}
