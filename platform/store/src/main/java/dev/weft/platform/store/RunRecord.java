package dev.weft.platform.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A workflow run. JSON values are JSON text.
 *
 * @param status {@code running}, {@code succeeded}, {@code partial-succeeded}, {@code failed} or {@code stopped}
 * @param triggeredFrom where the run was started: {@code debugging} (the console) or {@code app-run}
 *     (the service API); written when the run starts (since 1.5)
 * @param createdBy who started it: an end user's id, an account's id, or a name; may be null (since 1.5)
 * @since 1.1
 */
public record RunRecord(String id, String workspaceId, String appId, String status, String inputs, String outputs,
        String error, Long elapsedMillis, int totalSteps, long totalTokens, int exceptionsCount, Instant createdAt,
        Instant finishedAt, String triggeredFrom, String createdBy) {

    /** A run started from the console's debugger. */
    public RunRecord(String id, String workspaceId, String appId, String status, String inputs, String outputs,
            String error, Long elapsedMillis, int totalSteps, long totalTokens, int exceptionsCount, Instant createdAt,
            Instant finishedAt) {
        this(id, workspaceId, appId, status, inputs, outputs, error, elapsedMillis, totalSteps, totalTokens,
                exceptionsCount, createdAt, finishedAt, "debugging", null);
    }

    public RunRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(status, "status");
        inputs = inputs == null ? "{}" : inputs;
        triggeredFrom = triggeredFrom == null ? "debugging" : triggeredFrom;
    }
}
