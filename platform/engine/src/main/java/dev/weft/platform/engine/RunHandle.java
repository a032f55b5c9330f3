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
}
