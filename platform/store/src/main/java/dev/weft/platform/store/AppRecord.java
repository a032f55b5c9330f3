package dev.weft.platform.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An app as stored.
 *
 * @param document the normalised DSL document, as JSON text
 * @param dslVersion the DSL version of the file it was imported from
 * @since 1.1
 */
public record AppRecord(String id, String workspaceId, String name, String mode, String description,
        String dslVersion, String document, Instant createdAt, Instant updatedAt) {

    public AppRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        description = description == null ? "" : description;
        Objects.requireNonNull(document, "document");
    }
}
