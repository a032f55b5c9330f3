package dev.weft.platform.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A workflow run. JSON values are JSON text.
 *
 * @param status {@code running}, {@code succeeded}, {@code partial-succeeded}, {@code failed} or {@code stopped}
 * @since 1.1
 */
public record RunRecord(String id, String workspaceId, String appId, String status, String inputs, String outputs,
        String error, Long elapsedMillis, int totalSteps, long totalTokens, int exceptionsCount, Instant createdAt,
        Instant finishedAt) {

    public RunRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(status, "status");
        inputs = inputs == null ? "{}" : inputs;
    }
}
