package dev.weft.platform.store;

import java.time.Instant;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A conversation variable's value, as JSON text.
 *
 * @since 1.2
 */
@ProviderType
public record ConversationVariableRecord(String conversationId, String name, String value, Instant createdAt,
        Instant updatedAt) {
}
