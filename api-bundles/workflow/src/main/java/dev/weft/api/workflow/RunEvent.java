package dev.weft.api.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Something that happened in a run, in the order it happened. New kinds of event may be added in
 * minor versions: handle the ones you know and ignore the rest.
 */
@ProviderType
public sealed interface RunEvent {

    /** The run this event belongs to. */
    String runId();

    /** When it happened. */
    Instant at();

    /** The run started with these inputs. */
    @ProviderType
    record RunStarted(String runId, Instant at, String workflowId, Map<String, Object> inputs) implements RunEvent {
        public RunStarted {
            requireIds(runId, at);
            inputs = inputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        }
    }

    /** A node started executing. */
    @ProviderType
    record NodeStarted(String runId, Instant at, String executionId, String nodeId, String nodeType,
            String title) implements RunEvent {
        public NodeStarted {
            requireIds(runId, at);
            Objects.requireNonNull(executionId, "executionId");
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }

    /** A node streamed a piece of text into one of its outputs. */
    @ProviderType
    record TextChunk(String runId, Instant at, String nodeId, String output, String text) implements RunEvent {
        public TextChunk {
            requireIds(runId, at);
            Objects.requireNonNull(text, "text");
        }
    }

    /** A node failed and will be tried again. */
    @ProviderType
    record NodeRetried(String runId, Instant at, String executionId, String nodeId, int attempt,
            String error) implements RunEvent {
        public NodeRetried {
            requireIds(runId, at);
        }
    }

    /** A node finished, in whatever status. */
    @ProviderType
    record NodeFinished(String runId, Instant at, String executionId, String nodeId, NodeStatus status,
            Map<String, Object> inputs, Map<String, Object> outputs, String error, Duration elapsed)
            implements RunEvent {
        public NodeFinished {
            requireIds(runId, at);
            Objects.requireNonNull(status, "status");
            inputs = inputs == null ? Map.of() : inputs;
            outputs = outputs == null ? Map.of() : outputs;
        }
    }

    /** The run finished, in whatever status. */
    @ProviderType
    record RunFinished(String runId, Instant at, RunStatus status, Map<String, Object> outputs, String error,
            Duration elapsed, int totalSteps) implements RunEvent {
        public RunFinished {
            requireIds(runId, at);
            Objects.requireNonNull(status, "status");
            if (!status.isTerminal()) {
                throw new IllegalArgumentException("a finished run needs a terminal status, not " + status);
            }
            outputs = outputs == null ? Map.of() : outputs;
        }
    }

    private static void requireIds(String runId, Instant at) {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(at, "at");
    }
}
