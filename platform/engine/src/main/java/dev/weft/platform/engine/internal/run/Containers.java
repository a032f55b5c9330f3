package dev.weft.platform.engine.internal.run;

import dev.weft.api.workflow.NodeStatus;
import dev.weft.api.workflow.RunEvent;
import dev.weft.platform.engine.internal.graph.GraphNode;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Iterations and loops: containers whose children run as a scope of their own, once per item or
 * once per round, each round with a variable pool of its own.
 */
final class Containers {

    /** How a container ended. */
    record Result(NodeStatus status, Map<String, Object> inputs, Map<String, Object> outputs, String errorCode,
            String error) {
        static Result failed(Map<String, Object> inputs, String code, String error) {
            return new Result(NodeStatus.FAILED, inputs, Map.of(), code, error);
        }
    }

    private final RunContext run;
    private final NodeRunner nodes;

    Containers(RunContext run, NodeRunner nodes) {
        this.run = run;
        this.nodes = nodes;
    }

    /**
     * Runs the children once per item of {@code iterator_selector}, in order or {@code parallel_nums}
     * at a time, and gathers each round's {@code output_selector} into {@code output}.
     */
    Result iteration(GraphNode node, Scope scope, String executionId) {
        Map<String, Object> data = node.data();
        List<String> iterator = selector(data.get("iterator_selector"));
        Object value = iterator == null ? null : scope.pool().get(iterator).orElse(null);
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("iterator_selector", value);
        if (!(value instanceof List<?> items)) {
            return Result.failed(inputs, "iterator_invalid", "the iteration's input "
                    + (iterator == null ? "is not set" : String.join(".", iterator) + " is not an array"));
        }
        Optional<GraphNode> start = run.spec.graph().containerStart(node);
        if (start.isEmpty()) {
            return Result.failed(inputs, "container_start_missing", "the iteration has no start node");
        }
        long started = System.nanoTime();
        int stepsBefore = run.steps.get();
        run.emit(new RunEvent.IterationStarted(run.spec.runId(), run.now(), executionId, node.id(), node.title(),
                inputs, items.size()));
        String mode = data.get("error_handle_mode") instanceof String text ? text : "terminated";
        List<String> outputSelector = selector(data.get("output_selector"));
        boolean parallel = Boolean.TRUE.equals(data.get("is_parallel"));
        int width = parallel && data.get("parallel_nums") instanceof Number n ? Math.max(1, n.intValue()) : parallel ? 10 : 1;

        Object[] outputs = new Object[items.size()];
        boolean[] failedRounds = new boolean[items.size()];
        AtomicReference<ScopeRunner.Outcome> firstFailure = new AtomicReference<>();
        AtomicBoolean halt = new AtomicBoolean();
        Semaphore slots = new Semaphore(width);
        List<Thread> rounds = new ArrayList<>();
        for (int i = 0; i < items.size() && !halt.get() && !run.stopping(); i++) {
            int index = i;
            Runnable round = () -> {
                run.emit(new RunEvent.IterationNext(run.spec.runId(), run.now(), executionId, node.id(), index));
                VariablePool pool = scope.pool().child();
                pool.put(node.id(), "item", items.get(index));
                pool.put(node.id(), "index", index);
                ScopeRunner.Outcome outcome = new ScopeRunner(run, nodes).execute(scope.iteration(node.id(), pool),
                        start.get());
                if (outcome.failed()) {
                    failedRounds[index] = true;
                    firstFailure.compareAndSet(null, outcome);
                    if (mode.equals("terminated") || outcome.status() == NodeStatus.STOPPED) {
                        halt.set(true);
                    }
                } else if (outputSelector != null) {
                    outputs[index] = pool.get(outputSelector).orElse(null);
                }
            };
            if (width == 1) {
                round.run();
                continue;
            }
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                halt.set(true);
                break;
            }
            rounds.add(Thread.ofVirtual().name("weft-iteration-" + node.id() + "-" + i).start(() -> {
                try {
                    round.run();
                } finally {
                    slots.release();
                }
            }));
        }
        for (Thread thread : rounds) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.stop(new RunContext.RunFailure("stopped", "the run was stopped"));
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        int steps = run.steps.get() - stepsBefore;
        ScopeRunner.Outcome failure = firstFailure.get();
        if (failure != null && (halt.get() || failure.status() == NodeStatus.STOPPED)) {
            run.emit(new RunEvent.IterationCompleted(run.spec.runId(), run.now(), executionId, node.id(), NodeStatus.FAILED,
                    Map.of(), failure.error(), elapsed, steps));
            return Result.failed(inputs, failure.errorCode(), failure.error());
        }
        List<Object> collected = new ArrayList<>();
        for (int i = 0; i < outputs.length; i++) {
            if (failedRounds[i] && mode.equals("remove-abnormal-output")) {
                continue;
            }
            collected.add(outputs[i]);
        }
        Map<String, Object> result = Map.of("output", flatten(collected, data.get("flatten_output")));
        run.emit(new RunEvent.IterationCompleted(run.spec.runId(), run.now(), executionId, node.id(), NodeStatus.SUCCEEDED,
                result, null, elapsed, steps));
        return new Result(NodeStatus.SUCCEEDED, inputs, result, null, null);
    }

    /** With {@code flatten_output} (the default), a list of lists becomes one list. */
    private static List<Object> flatten(List<Object> outputs, Object flag) {
        boolean flatten = !Boolean.FALSE.equals(flag);
        if (!flatten || outputs.isEmpty() || !outputs.stream().allMatch(item -> item instanceof List<?>)) {
            return outputs;
        }
        List<Object> flat = new ArrayList<>();
        outputs.forEach(item -> flat.addAll((List<?>) item));
        return flat;
    }

    /**
     * Runs the children round after round, at most {@code loop_count} times, until a round reaches
     * a loop-end node or the break conditions hold; the loop's outputs are its loop variables.
     */
    Result loop(GraphNode node, Scope scope, String executionId) {
        Map<String, Object> data = node.data();
        int count = data.get("loop_count") instanceof Number n ? n.intValue() : 1;
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("loop_count", count);
        if (count < 1 || count > run.limits.maxLoopCount()) {
            return Result.failed(inputs, "limit_exceeded", "loop_count must be between 1 and "
                    + run.limits.maxLoopCount() + ", not " + count);
        }
        Optional<GraphNode> start = run.spec.graph().containerStart(node);
        if (start.isEmpty()) {
            return Result.failed(inputs, "container_start_missing", "the loop has no start node");
        }
        VariablePool loopPool = scope.pool().child();
        if (data.get("loop_variables") instanceof List<?> variables) {
            for (Object item : variables) {
                if (item instanceof Map<?, ?> variable && variable.get("label") instanceof String label) {
                    Object value = "variable".equals(variable.get("value_type"))
                            ? Optional.ofNullable(selector(variable.get("value"))).flatMap(s -> scope.pool().get(s)).orElse(null)
                            : Conversions.to(String.valueOf(variable.get("var_type")), variable.get("value"));
                    loopPool.put(node.id(), label, value);
                }
            }
        }
        inputs.putAll(loopPool.all(node.id()));
        long started = System.nanoTime();
        int stepsBefore = run.steps.get();
        run.emit(new RunEvent.LoopStarted(run.spec.runId(), run.now(), executionId, node.id(), node.title(), inputs));
        for (int round = 0; round < count && !run.stopping(); round++) {
            if (round > 0) {
                run.emit(new RunEvent.LoopNext(run.spec.runId(), run.now(), executionId, node.id(), round,
                        loopPool.all(node.id())));
            }
            // the round's index lives with the loop variables, so updates of those still reach the loop's pool
            loopPool.put(node.id(), "index", round);
            VariablePool pool = loopPool.child();
            ScopeRunner.Outcome outcome = new ScopeRunner(run, nodes).execute(scope.loop(node.id(), pool), start.get());
            if (outcome.failed()) {
                run.emit(new RunEvent.LoopCompleted(run.spec.runId(), run.now(), executionId, node.id(), NodeStatus.FAILED,
                        Map.of(), outcome.error(), Duration.ofNanos(System.nanoTime() - started), run.steps.get() - stepsBefore));
                return Result.failed(inputs, outcome.errorCode(), outcome.error());
            }
            if (outcome.loopEnd()) {
                break;
            }
            Optional<Boolean> stop = breakConditionsHold(node, pool);
            if (stop.isEmpty()) {
                return Result.failed(inputs, "node_type_missing",
                        "loops with break conditions need the if-else node type, which is not installed");
            }
            if (stop.get()) {
                break;
            }
        }
        Map<String, Object> outputs = loopPool.all(node.id());
        outputs.remove("index");
        run.emit(new RunEvent.LoopCompleted(run.spec.runId(), run.now(), executionId, node.id(), NodeStatus.SUCCEEDED,
                outputs, null, Duration.ofNanos(System.nanoTime() - started), run.steps.get() - stepsBefore));
        return new Result(NodeStatus.SUCCEEDED, inputs, outputs, null, null);
    }

    /**
     * Whether a loop's break conditions hold after a round, judged by the if-else node type so that
     * both speak Dify's operators the same way; empty when there are conditions and no if-else.
     */
    private Optional<Boolean> breakConditionsHold(GraphNode node, VariablePool pool) {
        if (!(node.data().get("break_conditions") instanceof List<?> conditions) || conditions.isEmpty()) {
            return Optional.of(false);
        }
        Optional<NodeType> ifElse = run.nodeTypes.apply("if-else");
        if (ifElse.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> kase = new LinkedHashMap<>();
        kase.put("case_id", "break");
        kase.put("logical_operator", node.data().getOrDefault("logical_operator", "and"));
        kase.put("conditions", conditions);
        Map<String, Object> config = Map.of("type", "if-else", "cases", List.of(kase));
        try {
            NodeResult result = ifElse.get().execute(new EngineNodeContext(run, node.id(), config, pool));
            return Optional.of("break".equals(result.edgeSourceHandle()));
        } catch (RuntimeException e) {
            return Optional.of(false);
        }
    }

    private static List<String> selector(Object value) {
        if (!(value instanceof List<?> list) || list.size() < 2) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (Object part : list) {
            parts.add(String.valueOf(part));
        }
        return parts;
    }
}
