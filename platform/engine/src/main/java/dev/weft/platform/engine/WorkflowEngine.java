package dev.weft.platform.engine;

import dev.weft.api.workflow.RunEvent;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs app graphs. Every run and node execution is written to the store as it happens, before the
 * event reaches the listener.
 */
@ProviderType
public interface WorkflowEngine {

    /**
     * Starts a run on a thread of its own and returns at once.
     *
     * @param listener gets the run's events one at a time, in order; it must return quickly
     * @throws dev.weft.api.core.WeftException when the app is not a graph, or its graph is invalid
     */
    RunHandle start(RunRequest request, Consumer<RunEvent> listener);

    /** Stops a run of a workspace; false when no such run is in progress. */
    boolean stop(String workspaceId, String runId);

    /**
     * A run of a workspace in progress on this node, to watch or stop; empty when there is none
     * (it ended, it never was, or another workspace's).
     *
     * @since 1.3
     */
    default java.util.Optional<RunHandle> find(String workspaceId, String runId) {
        return java.util.Optional.empty();
    }
}
