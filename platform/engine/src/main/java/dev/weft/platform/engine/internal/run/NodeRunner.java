package dev.weft.platform.engine.internal.run;

import dev.weft.api.workflow.NodeStatus;
import dev.weft.api.workflow.RunEvent;
import dev.weft.platform.engine.internal.graph.GraphNode;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.VariableUpdate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Executes one node: counts the step, sends its events, calls its node type (or runs the container
 * it is), retries it as its {@code retry_config} says, applies its {@code error_strategy} when it
 * still fails, and stores its outputs.
 */
final class NodeRunner {

    static final int MAX_RETRIES = 10;
    static final Duration MAX_RETRY_INTERVAL = Duration.ofSeconds(5);

    private final RunContext run;
    private final Containers containers;

    NodeRunner(RunContext run) {
        this.run = run;
        this.containers = new Containers(run, this);
    }

    NodeOutcome run(GraphNode node, Scope scope, String predecessor) {
        if (run.steps.incrementAndGet() > run.limits.maxSteps()) {
            run.stop(new RunContext.RunFailure("limit_exceeded",
                    "the run exceeded its limit of " + run.limits.maxSteps() + " steps"));
            return NodeOutcome.failed("limit_exceeded", run.stopReason().message());
        }
        Execution execution = new Execution(node, scope, UUID.randomUUID().toString(), run.index.incrementAndGet(),
                System.nanoTime());
        run.emit(new RunEvent.NodeStarted(run.spec.runId(), run.now(), execution.id, node.id(), node.type(),
                node.title(), execution.index, predecessor, Map.of(), scope.iterationId(), scope.loopId()));
        if (node.isContainer()) {
            Containers.Result result = node.type().equals("iteration")
                    ? containers.iteration(node, scope, execution.id) : containers.loop(node, scope, execution.id);
            if (result.status() == NodeStatus.SUCCEEDED) {
                scope.pool().putAll(node.id(), result.outputs());
                finish(execution, NodeStatus.SUCCEEDED, result.inputs(), result.outputs(), Map.of(), Map.of(), null, null);
                return NodeOutcome.succeeded(null);
            }
            return failed(execution, result.inputs(), result.errorCode(), result.error());
        }
        if (node.isStructural()) {
            finish(execution, NodeStatus.SUCCEEDED, Map.of(), Map.of(), Map.of(), Map.of(), null, null);
            NodeOutcome outcome = NodeOutcome.succeeded(null);
            return node.type().equals("loop-end")
                    ? new NodeOutcome(outcome.status(), outcome.handles(), null, null, true) : outcome;
        }
        return leaf(execution);
    }

    private NodeOutcome leaf(Execution execution) {
        GraphNode node = execution.node;
        Optional<NodeType> type = run.nodeTypes.apply(node.type());
        if (type.isEmpty()) {
            Map<String, Object> none = Map.of();
            finish(execution, NodeStatus.FAILED, none, none, none, none, "node_type_missing",
                    "no installed plug-in provides the node type '" + node.type() + "'");
            return NodeOutcome.failed("node_type_missing", "no installed plug-in provides the node type '"
                    + node.type() + "'");
        }
        RetryConfig retry = RetryConfig.of(node.data());
        EngineNodeContext context = new EngineNodeContext(run, node.id(), node.data(), execution.scope.pool(),
                execution.scope.containerId() == null);
        String errorCode = null;
        String error = null;
        for (int attempt = 0; ; attempt++) {
            if (run.stopping()) {
                return stopped(execution);
            }
            try {
                run.parallel.acquire();
                NodeResult result;
                try {
                    result = type.get().execute(context);
                } finally {
                    run.parallel.release();
                }
                return succeeded(execution, result);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return stopped(execution);
            } catch (NodeException e) {
                errorCode = e.code();
                error = e.getMessage();
            } catch (RuntimeException | LinkageError e) {
                errorCode = "node_failed";
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (run.stopping() || Thread.currentThread().isInterrupted()) {
                return stopped(execution);
            }
            if (attempt >= retry.maxRetries()) {
                break;
            }
            run.emit(new RunEvent.NodeRetried(run.spec.runId(), run.now(), execution.id, node.id(), attempt + 1, error));
            try {
                run.sleeper.sleep(retry.interval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return stopped(execution);
            }
        }
        return handleFailure(execution, errorCode, error);
    }

    private NodeOutcome succeeded(Execution execution, NodeResult result) {
        GraphNode node = execution.node;
        for (VariableUpdate update : result.updates()) {
            String owner = update.selector().nodeId();
            boolean writable = owner.equals("conversation")
                    || run.spec.graph().node(owner).map(target -> target.type().equals("loop")).orElse(false);
            if (!writable || update.selector().parts().size() != 2) {
                return failed(execution, result.inputs(), "variable_not_writable", "the node may not write "
                        + update.selector() + ": nodes write conversation and loop variables only");
            }
        }
        result.updates().forEach(update -> execution.scope.pool()
                .update(update.selector().nodeId(), update.selector().name(), update.value()));
        if (node.type().equals("start")) {
            // the raw inputs were seeded under the start node's id; only what it passes on stays
            execution.scope.pool().clear(node.id());
        }
        execution.scope.pool().putAll(node.id(), result.outputs());
        if (result.metadata().get("total_tokens") instanceof Number tokens) {
            run.tokens.addAndGet(tokens.longValue());
        }
        if (node.type().equals("end") && execution.scope.containerId() == null) {
            run.addOutputs(result.outputs());
        } else if (node.type().equals("answer") && result.outputs().get("answer") instanceof String answer) {
            // answers inside iterations and loops are part of the reply too, in the order they finish
            run.addAnswer(answer);
        }
        finish(execution, NodeStatus.SUCCEEDED, result.inputs(), result.outputs(), result.processData(),
                result.metadata(), null, null);
        return NodeOutcome.succeeded(result.edgeSourceHandle());
    }

    /** The node still fails: its error strategy decides whether the run goes on. */
    private NodeOutcome handleFailure(Execution execution, String errorCode, String error) {
        Object strategy = execution.node.data().get("error_strategy");
        if ("fail-branch".equals(strategy) || "default-value".equals(strategy)) {
            Map<String, Object> outputs = new LinkedHashMap<>();
            if ("default-value".equals(strategy)) {
                outputs.putAll(DefaultValues.of(execution.node.data().get("default_value")));
            }
            outputs.put("error_message", error);
            outputs.put("error_type", errorCode);
            execution.scope.pool().putAll(execution.node.id(), outputs);
            run.exceptions.incrementAndGet();
            finish(execution, NodeStatus.EXCEPTION, Map.of(), outputs, Map.of(), Map.of(), errorCode, error);
            return new NodeOutcome(NodeStatus.EXCEPTION,
                    "fail-branch".equals(strategy) ? Set.of("fail-branch") : NodeOutcome.SUCCESS, errorCode, error, false);
        }
        return failed(execution, Map.of(), errorCode, error);
    }

    private NodeOutcome failed(Execution execution, Map<String, Object> inputs, String code, String error) {
        finish(execution, NodeStatus.FAILED, inputs, Map.of(), Map.of(), Map.of(), code, error);
        return NodeOutcome.failed(code, error);
    }

    private NodeOutcome stopped(Execution execution) {
        finish(execution, NodeStatus.STOPPED, Map.of(), Map.of(), Map.of(), Map.of(), "stopped", "the run was stopped");
        return NodeOutcome.stopped();
    }

    private void finish(Execution execution, NodeStatus status, Map<String, Object> inputs, Map<String, Object> outputs,
            Map<String, Object> processData, Map<String, Object> metadata, String errorCode, String error) {
        GraphNode node = execution.node;
        run.emit(new RunEvent.NodeFinished(run.spec.runId(), run.now(), execution.id, node.id(), status, inputs, outputs,
                error, Duration.ofNanos(System.nanoTime() - execution.startedNanos), node.type(), node.title(),
                processData, metadata, errorCode, execution.index, execution.scope.iterationId(),
                execution.scope.loopId()));
        if (execution.scope.containerId() == null && (status == NodeStatus.SUCCEEDED || status == NodeStatus.EXCEPTION)) {
            run.answers.ended(node.id(), true);
        }
    }

    /** One execution of a node. */
    private record Execution(GraphNode node, Scope scope, String id, int index, long startedNanos) {
    }

    /** A node's {@code retry_config}, capped as Dify's editor caps it. */
    record RetryConfig(int maxRetries, Duration interval) {
        static RetryConfig of(Map<String, Object> data) {
            if (!(data.get("retry_config") instanceof Map<?, ?> config) || !Boolean.TRUE.equals(config.get("retry_enabled"))) {
                return new RetryConfig(0, Duration.ZERO);
            }
            int retries = config.get("max_retries") instanceof Number n ? Math.max(0, Math.min(MAX_RETRIES, n.intValue())) : 0;
            long millis = config.get("retry_interval") instanceof Number n ? Math.max(0, n.longValue()) : 0;
            Duration interval = Duration.ofMillis(millis);
            return new RetryConfig(retries, interval.compareTo(MAX_RETRY_INTERVAL) > 0 ? MAX_RETRY_INTERVAL : interval);
        }
    }

    /** The outputs a {@code default-value} error strategy gives: {@code default_value: [{key, type, value}]}. */
    static final class DefaultValues {
        private DefaultValues() {
        }

        static Map<String, Object> of(Object items) {
            Map<String, Object> values = new LinkedHashMap<>();
            if (items instanceof List<?> list) {
                for (Object item : list) {
                    if (item instanceof Map<?, ?> entry && entry.get("key") instanceof String key) {
                        values.put(key, Conversions.to(String.valueOf(entry.get("type")), entry.get("value")));
                    }
                }
            }
            return values;
        }
    }
}
