package dev.weft.platform.engine.internal.run;

import dev.weft.api.workflow.NodeStatus;
import java.util.Set;

/**
 * How a node execution ended, for the scheduler.
 *
 * @param handles the source handles of the outgoing edges to follow
 * @param error why it failed, when it did
 * @param loopEnd whether it was a loop's exit node
 */
record NodeOutcome(NodeStatus status, Set<String> handles, String errorCode, String error, boolean loopEnd) {

    /** The handles a node that succeeded follows unless it names one. */
    static final Set<String> SUCCESS = Set.of("source", "success-branch");

    static NodeOutcome succeeded(String handle) {
        return new NodeOutcome(NodeStatus.SUCCEEDED, handle == null ? SUCCESS : Set.of(handle), null, null, false);
    }

    static NodeOutcome failed(String code, String error) {
        return new NodeOutcome(NodeStatus.FAILED, Set.of(), code, error, false);
    }

    static NodeOutcome stopped() {
        return new NodeOutcome(NodeStatus.STOPPED, Set.of(), "stopped", "the run was stopped", false);
    }

    boolean blocksScope() {
        return status == NodeStatus.FAILED || status == NodeStatus.STOPPED;
    }
}
