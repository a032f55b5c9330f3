package dev.weft.platform.engine;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/** A run in progress. */
@ProviderType
public interface RunHandle {

    String runId();

    /** Completes when the run ends; never completes exceptionally for a node's failure. */
    CompletableFuture<RunResult> result();

    /** Asks the run to stop. */
    void stop();

    /**
     * The conversation a chatflow run answers in (new or continued), or null for a workflow run.
     *
     * @since 1.1
     */
    default String conversationId() {
        return null;
    }

    /**
     * The message a chatflow run answers (its query and answer are recorded under this id), or null
     * for a workflow run.
     *
     * @since 1.1
     */
    default String messageId() {
        return null;
    }

    /**
     * Sends the run's events from now on to this listener as well, in order, up to and including
     * the run's end, until the returned handle is closed.
     *
     * @return the subscription, or empty when the run has already ended (its records are then final)
     * @since 1.3
     */
    default java.util.Optional<AutoCloseable> watch(java.util.function.Consumer<dev.weft.api.workflow.RunEvent> listener) {
        return java.util.Optional.empty();
    }

    /**
     * The starts of the node executions in progress now, in the order they started (a node's start
     * is recorded only when it runs long, so the records may not have them yet).
     *
     * @since 1.3
     */
    default java.util.List<dev.weft.api.workflow.RunEvent.NodeStarted> nodesInProgress() {
        return java.util.List.of();
    }
}
