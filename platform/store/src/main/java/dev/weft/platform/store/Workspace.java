package dev.weft.platform.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A workspace: the unit of tenancy. Apps, knowledge bases, credentials and runs belong to one.
 *
 * @param id its id, a UUID
 * @param name what people call it
 * @param createdAt when it was created
 */
public record Workspace(String id, String name, Instant createdAt) {

    /** The longest name a workspace may have. */
    public static final int MAX_NAME_LENGTH = 100;

    public Workspace {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
