package dev.weft.platform.store;

import java.time.Instant;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One turn of a conversation: the user's query, the run that answered it, and the answer.
 *
 * @param status {@code running}, then the run's status ({@code succeeded}, {@code failed}, ...)
 * @since 1.2
 */
@ProviderType
public record MessageRecord(String id, String conversationId, String workspaceId, String appId, String runId,
        String query, String answer, String status, String error, Instant createdAt, Instant finishedAt) {
}
