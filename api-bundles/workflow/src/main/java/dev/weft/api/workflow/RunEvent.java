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
 *
 * <p>Nodes inside a container (an iteration or a loop) carry the container's node id and the round
 * they ran in; nodes of the top-level graph carry nulls there.
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
            inputs = copy(inputs);
        }
    }

    /**
     * A node started executing.
     *
     * @param index the position of this execution in the run, from 1
     * @param predecessorNodeId the node whose completion started this one; null for the first
     * @param inputs the inputs the node was given, where known before it runs
     * @param iterationId the iteration the node runs in, or null
     * @param loopId the loop the node runs in, or null
     * @since 1.1
     */
    @ProviderType
    record NodeStarted(String runId, Instant at, String executionId, String nodeId, String nodeType, String title,
            int index, String predecessorNodeId, Map<String, Object> inputs, String iterationId, String loopId)
            implements RunEvent {
        public NodeStarted {
            requireIds(runId, at);
            Objects.requireNonNull(executionId, "executionId");
            Objects.requireNonNull(nodeId, "nodeId");
            inputs = copy(inputs);
        }

        /** The 1.0 form: a node of the top-level graph, without position or inputs. */
        public NodeStarted(String runId, Instant at, String executionId, String nodeId, String nodeType, String title) {
            this(runId, at, executionId, nodeId, nodeType, title, 0, null, Map.of(), null, null);
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

    /** A node failed and will be tried again; {@code attempt} counts retries from 1. */
    @ProviderType
    record NodeRetried(String runId, Instant at, String executionId, String nodeId, int attempt,
            String error) implements RunEvent {
        public NodeRetried {
            requireIds(runId, at);
        }
    }

    /**
     * A node finished, in whatever status.
     *
     * @param processData intermediate data for the trace
     * @param metadata figures about the execution (tokens, cost)
     * @param errorType the code of the failure, when it failed
     * @param index the position of this execution in the run, from 1
     * @param iterationId the iteration the node ran in, or null
     * @param loopId the loop the node ran in, or null
     * @since 1.1
     */
    @ProviderType
    record NodeFinished(String runId, Instant at, String executionId, String nodeId, NodeStatus status,
            Map<String, Object> inputs, Map<String, Object> outputs, String error, Duration elapsed,
            String nodeType, String title, Map<String, Object> processData, Map<String, Object> metadata,
            String errorType, int index, String iterationId, String loopId) implements RunEvent {
        public NodeFinished {
            requireIds(runId, at);
            Objects.requireNonNull(status, "status");
            inputs = copy(inputs);
            outputs = copy(outputs);
            processData = copy(processData);
            metadata = copy(metadata);
        }

        /** The 1.0 form. */
        public NodeFinished(String runId, Instant at, String executionId, String nodeId, NodeStatus status,
                Map<String, Object> inputs, Map<String, Object> outputs, String error, Duration elapsed) {
            this(runId, at, executionId, nodeId, status, inputs, outputs, error, elapsed, null, null, Map.of(),
                    Map.of(), null, 0, null, null);
        }
    }

    /**
     * An iteration started over {@code count} items.
     *
     * @since 1.1
     */
    @ProviderType
    record IterationStarted(String runId, Instant at, String executionId, String nodeId, String title,
            Map<String, Object> inputs, int count) implements RunEvent {
        public IterationStarted {
            requireIds(runId, at);
            inputs = copy(inputs);
        }
    }

    /**
     * An iteration starts its round {@code index} (from 0).
     *
     * @since 1.1
     */
    @ProviderType
    record IterationNext(String runId, Instant at, String executionId, String nodeId, int index) implements RunEvent {
        public IterationNext {
            requireIds(runId, at);
        }
    }

    /**
     * An iteration finished.
     *
     * @param steps node executions inside it
     * @since 1.1
     */
    @ProviderType
    record IterationCompleted(String runId, Instant at, String executionId, String nodeId, NodeStatus status,
            Map<String, Object> outputs, String error, Duration elapsed, int steps) implements RunEvent {
        public IterationCompleted {
            requireIds(runId, at);
            outputs = copy(outputs);
        }
    }

    /**
     * A loop started.
     *
     * @since 1.1
     */
    @ProviderType
    record LoopStarted(String runId, Instant at, String executionId, String nodeId, String title,
            Map<String, Object> inputs) implements RunEvent {
        public LoopStarted {
            requireIds(runId, at);
            inputs = copy(inputs);
        }
    }

    /**
     * A loop starts its round {@code index} (from 0), after a round that left these loop variables.
     *
     * @since 1.1
     */
    @ProviderType
    record LoopNext(String runId, Instant at, String executionId, String nodeId, int index,
            Map<String, Object> previousOutputs) implements RunEvent {
        public LoopNext {
            requireIds(runId, at);
            previousOutputs = copy(previousOutputs);
        }
    }

    /**
     * A loop finished.
     *
     * @param steps node executions inside it
     * @since 1.1
     */
    @ProviderType
    record LoopCompleted(String runId, Instant at, String executionId, String nodeId, NodeStatus status,
            Map<String, Object> outputs, String error, Duration elapsed, int steps) implements RunEvent {
        public LoopCompleted {
            requireIds(runId, at);
            outputs = copy(outputs);
        }
    }

    /**
     * The run finished, in whatever status.
     *
     * @param exceptionsCount node failures that an error strategy handled
     * @param totalTokens tokens the run's model calls used
     * @since 1.1 for the last two
     */
    @ProviderType
    record RunFinished(String runId, Instant at, RunStatus status, Map<String, Object> outputs, String error,
            Duration elapsed, int totalSteps, int exceptionsCount, long totalTokens) implements RunEvent {
        public RunFinished {
            requireIds(runId, at);
            Objects.requireNonNull(status, "status");
            if (!status.isTerminal()) {
                throw new IllegalArgumentException("a finished run needs a terminal status, not " + status);
            }
            outputs = copy(outputs);
        }

        /** The 1.0 form. */
        public RunFinished(String runId, Instant at, RunStatus status, Map<String, Object> outputs, String error,
                Duration elapsed, int totalSteps) {
            this(runId, at, status, outputs, error, elapsed, totalSteps, 0, 0);
        }
    }

    private static void requireIds(String runId, Instant at) {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(at, "at");
    }

    private static Map<String, Object> copy(Map<String, Object> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
