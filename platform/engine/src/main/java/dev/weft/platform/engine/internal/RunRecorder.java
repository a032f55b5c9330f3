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
 * execution when it starts and ends. A store failure is logged and the run goes on.
 */
final class RunRecorder implements Consumer<RunEvent> {

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
                case RunEvent.RunFinished e -> runs.finished(new RunRecord(e.runId(), workspaceId, appId,
                        e.status().wireName(), null, json(e.outputs()), e.error(), e.elapsed().toMillis(), e.totalSteps(),
                        e.totalTokens(), e.exceptionsCount(), null, e.at()));
                case RunEvent.NodeStarted e -> runs.nodeStarted(new NodeExecutionRecord(e.executionId(), e.runId(),
                        workspaceId, e.nodeId(), e.nodeType(), e.title(), e.index(), e.predecessorNodeId(),
                        e.iterationId(), e.loopId(), "running", json(e.inputs()), null, null, null, null, null, null,
                        e.at(), null));
                case RunEvent.NodeFinished e -> runs.nodeFinished(new NodeExecutionRecord(e.executionId(), e.runId(),
                        workspaceId, e.nodeId(), e.nodeType(), e.title(), e.index(), null, e.iterationId(), e.loopId(),
                        e.status().wireName(), json(e.inputs()), json(e.processData()), json(e.outputs()),
                        json(e.metadata()), e.error(), e.errorType(), e.elapsed().toMillis(), null, e.at()));
                default -> {
                    // retries, chunks and container progress live in the node executions
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Could not record {} of run {}", event.getClass().getSimpleName(), event.runId(), e);
        }
    }

    static String json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value == null ? Map.of() : value);
        } catch (JsonProcessingException e) {
            return "{}";
        }
    }
}
