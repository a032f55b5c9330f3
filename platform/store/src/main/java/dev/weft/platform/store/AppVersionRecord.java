package dev.weft.platform.store;

import java.time.Instant;

/**
 * A published version of an app: an immutable copy of its draft.
 *
 * @param version 1 for the first publication, then one more each time
 * @param document the normalised DSL document, as JSON text
 * @since 1.5
 */
public record AppVersionRecord(String id, String workspaceId, String appId, int version, String name, String mode,
        String description, String dslVersion, String document, String markedName, String createdBy,
        Instant createdAt) {
}
