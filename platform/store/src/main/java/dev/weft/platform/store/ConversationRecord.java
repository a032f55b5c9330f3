package dev.weft.platform.store;

import java.time.Instant;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A chatflow conversation.
 *
 * @param userId who holds the conversation; may be null
 * @since 1.2
 */
@ProviderType
public record ConversationRecord(String id, String workspaceId, String appId, String userId, String name,
        Instant createdAt, Instant updatedAt) {
}
