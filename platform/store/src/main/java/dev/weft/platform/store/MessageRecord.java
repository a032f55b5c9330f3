package dev.weft.platform.store;

import java.time.Instant;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One turn of a conversation: the user's query, the run that answered it, and the answer.
 *
 * @param status {@code running}, then the run's status ({@code succeeded}, {@code failed}, ...)
 * @param inputs the run's inputs as JSON text; may be null (since 1.5)
 * @param totalTokens the tokens the run used (since 1.5)
 * @param elapsedMillis how long the run took; null while it runs (since 1.5)
 * @since 1.2
 */
@ProviderType
public record MessageRecord(String id, String conversationId, String workspaceId, String appId, String runId,
        String query, String answer, String status, String error, Instant createdAt, Instant finishedAt,
        String inputs, long totalTokens, Long elapsedMillis) {

    /** A message without inputs or usage. */
    public MessageRecord(String id, String conversationId, String workspaceId, String appId, String runId,
            String query, String answer, String status, String error, Instant createdAt, Instant finishedAt) {
        this(id, conversationId, workspaceId, appId, runId, query, answer, status, error, createdAt, finishedAt, null,
                0, null);
    }
}
