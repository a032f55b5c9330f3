package dev.weft.api.workflow;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The status of one node execution, named on the wire as in Dify.
 */
@ProviderType
public enum NodeStatus {
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    /** Failed, and the node's error strategy handled the failure. */
    EXCEPTION("exception"),
    FAILED("failed"),
    STOPPED("stopped");

    private final String wireName;

    NodeStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean isTerminal() {
        return this != RUNNING;
    }

    public boolean isSuccessful() {
        return this == SUCCEEDED;
    }
}
