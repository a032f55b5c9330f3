package dev.weft.platform.store;

import java.time.Instant;

/**
 * Which of an app's runs a log page shows; every part is optional (null: no condition).
 *
 * @param status only runs of this status
 * @param triggeredFrom only runs started from there ({@code app-run}, {@code debugging}, ...)
 * @param createdBy only runs started by this end user (its {@code user} string) or account
 * @param keyword only runs whose inputs, outputs or end user contain this text (any case), or whose id it is
 * @param createdAfter only runs started at or after this instant
 * @param createdBefore only runs started at or before this instant
 * @since 1.6
 */
public record RunFilter(String status, String triggeredFrom, String createdBy, String keyword, Instant createdAfter,
        Instant createdBefore) {

    /** Runs of a status, started from somewhere, by someone (each may be null). */
    public static RunFilter of(String status, String triggeredFrom, String createdBy) {
        return new RunFilter(status, triggeredFrom, createdBy, null, null, null);
    }
}
