package dev.weft.api.workflow;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The status of a workflow run, named on the wire as in Dify.
 */
@ProviderType
public enum RunStatus {
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    /** Finished, but some node failures were handled by an error strategy. */
    PARTIAL_SUCCEEDED("partial-succeeded"),
    FAILED("failed"),
    STOPPED("stopped");

    private final String wireName;

    RunStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the run is over. */
    public boolean isTerminal() {
        return this != RUNNING;
    }

    /** Whether the run produced its outputs. */
    public boolean isSuccessful() {
        return this == SUCCEEDED || this == PARTIAL_SUCCEEDED;
    }
}
