package dev.weft.platform.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One execution of a node in a run. JSON values are JSON text.
 *
 * @param position its place in the run, from 1
 * @since 1.1
 */
public record NodeExecutionRecord(String id, String runId, String workspaceId, String nodeId, String nodeType,
        String title, int position, String predecessorId, String iterationId, String loopId, String status,
        String inputs, String processData, String outputs, String metadata, String error, String errorType,
        Long elapsedMillis, Instant createdAt, Instant finishedAt) {

    public NodeExecutionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(status, "status");
        nodeType = nodeType == null ? "" : nodeType;
        title = title == null ? nodeId : title;
    }
}
