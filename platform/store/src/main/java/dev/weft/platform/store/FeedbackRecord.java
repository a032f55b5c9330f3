package dev.weft.platform.store;

import java.time.Instant;

/**
 * A rating of an answer.
 *
 * @param rating {@code like} or {@code dislike}
 * @param fromSource {@code user} (an end user) or {@code admin} (a console member)
 * @since 1.5
 */
public record FeedbackRecord(String messageId, String workspaceId, String appId, String rating, String content,
        String fromSource, String createdBy, Instant createdAt, Instant updatedAt) {
}
