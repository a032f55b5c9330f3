package dev.weft.platform.engine.internal;

import dev.weft.api.workflow.RunEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who watches a run besides the caller that started it (a client that reconnects to its stream):
 * each gets the events from when it came, up to the run's end; none can come after that.
 */
final class RunWatchers {

    private static final Logger LOG = LoggerFactory.getLogger(RunWatchers.class);

    private final List<Consumer<RunEvent>> watchers = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, RunEvent.NodeStarted> inProgress = new java.util.LinkedHashMap<>();
    private boolean ended;

    /** Adds a watcher; empty when the run has ended (its end was already delivered). */
    Optional<AutoCloseable> add(Consumer<RunEvent> watcher) {
        synchronized (this) {
            if (ended) {
                return Optional.empty();
            }
            watchers.add(watcher);
        }
        return Optional.of(() -> watchers.remove(watcher));
    }

    /** The starts of the node executions in progress, oldest first. */
    synchronized List<RunEvent.NodeStarted> inProgress() {
        return List.copyOf(inProgress.values());
    }

    /** Hands an event to every watcher; a watcher that fails is logged and the others still get it. */
    void deliver(RunEvent event) {
        synchronized (this) {
            switch (event) {
                case RunEvent.NodeStarted started -> inProgress.put(started.executionId(), started);
                case RunEvent.NodeFinished finished -> inProgress.remove(finished.executionId());
                case RunEvent.RunFinished finished -> {
                    ended = true;
                    inProgress.clear();
                }
                default -> {
                    // nothing to keep
                }
            }
        }
        for (Consumer<RunEvent> watcher : watchers) {
            try {
                watcher.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("A watcher of run {} failed", event.runId(), e);
            }
        }
        if (event instanceof RunEvent.RunFinished) {
            watchers.clear();
        }
    }
}
