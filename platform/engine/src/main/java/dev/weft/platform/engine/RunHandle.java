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
}
