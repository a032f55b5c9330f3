package dev.weft.platform.store;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Workflow runs and their node executions, written as they happen so that a crash loses nothing
 * acknowledged: a run is inserted when it starts and updated once when it ends.
 *
 * @since 1.1
 */
@ProviderType
public interface RunRepository {

    /** Records a run that started, as running. */
    void started(RunRecord run);

    /** Records how a run ended. */
    void finished(RunRecord run);

    /** Records a node execution that started. */
    void nodeStarted(NodeExecutionRecord execution);

    /** Records how a node execution ended. */
    void nodeFinished(NodeExecutionRecord execution);

    /**
     * Records a node execution that started and ended before its start was recorded: one write
     * instead of two for the many nodes that take no time.
     *
     * @since 1.5
     */
    void nodeRecorded(NodeExecutionRecord execution);

    Optional<RunRecord> find(String workspaceId, String runId);

    /** A run's node executions, in the order they started. */
    List<NodeExecutionRecord> executions(String workspaceId, String runId);

    /**
     * Marks runs still recorded as running (their process died) as failed, and their running node
     * executions as stopped.
     *
     * @return how many runs were marked
     */
    int failInterrupted(String reason);

    /**
     * A page of an app's runs, newest first.
     *
     * @param status only runs of this status; null for all
     * @param triggeredFrom only runs started from there; null for all
     * @param createdBy only runs started by this end user or account; null for all
     * @since 1.5
     */
    default List<RunRecord> list(String workspaceId, String appId, String status, String triggeredFrom, String createdBy,
            int offset, int limit) {
        return list(workspaceId, appId, RunFilter.of(status, triggeredFrom, createdBy), offset, limit);
    }

    /** How many runs {@link #list} would find without paging. @since 1.5 */
    default int count(String workspaceId, String appId, String status, String triggeredFrom, String createdBy) {
        return count(workspaceId, appId, RunFilter.of(status, triggeredFrom, createdBy));
    }

    /**
     * A page of an app's runs that pass the filter, newest first.
     *
     * @since 1.6
     */
    List<RunRecord> list(String workspaceId, String appId, RunFilter filter, int offset, int limit);

    /** How many runs pass the filter. @since 1.6 */
    int count(String workspaceId, String appId, RunFilter filter);
}
