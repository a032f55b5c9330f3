package dev.weft.platform.engine.internal.run;

import dev.weft.api.core.Violation;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableUpdate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Small node types for engine tests, each doing one thing:
 * <ul>
 * <li>{@code start}: passes the seeded inputs on;
 * <li>{@code echo}: outputs {@code value} (rendered when text) as {@code out};
 * <li>{@code end}: outputs each {@code outputs[]} selector under its variable name;
 * <li>{@code branch}: follows the handle named in {@code handle};
 * <li>{@code flaky}: fails {@code failures} times per node id, then succeeds;
 * <li>{@code fail}: always fails;
 * <li>{@code double}: outputs twice the number at {@code input} selector;
 * <li>{@code gate}: waits until {@code parties} gates of the same {@code name} are waiting;
 * <li>{@code block}: waits until interrupted;
 * <li>{@code set}: asks to set {@code target} selector to {@code value};
 * <li>{@code if-else}: breaks when the number at {@code conditions[0].variable_selector} reaches the value;
 * <li>{@code tokens}: once the gate named {@code after} (if any) is open, streams each of {@code pieces} as its
 *     {@code text}, as a model does, then outputs them joined;
 * <li>{@code answer}: renders {@code answer}, says it, and outputs it, as the answer node does.
 * </ul>
 */
final class TestNodes implements Function<String, Optional<NodeType>> {

    final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final Map<String, NodeType> types = new HashMap<>();

    TestNodes() {
        add("start", context -> {
            Map<String, Object> outputs = new LinkedHashMap<>();
            context.variables().get(VariableSelector.of(context.nodeId(), "q")).ifPresent(q -> outputs.put("q", q));
            return NodeResult.of(outputs);
        });
        add("echo", context -> {
            Object value = context.config().get("value");
            return NodeResult.of(mapOf("out", value instanceof String text ? context.variables().render(text) : value));
        });
        add("end", context -> {
            Map<String, Object> outputs = new LinkedHashMap<>();
            for (Object item : (List<?>) context.config().getOrDefault("outputs", List.of())) {
                Map<?, ?> output = (Map<?, ?>) item;
                outputs.put((String) output.get("variable"),
                        context.variables().get(sel(output.get("value_selector"))).orElse(null));
            }
            return NodeResult.of(outputs);
        });
        add("branch", context -> NodeResult.of(Map.of()).withEdgeSourceHandle((String) context.config().get("handle")));
        add("flaky", context -> {
            int failures = ((Number) context.config().get("failures")).intValue();
            if (attempts.computeIfAbsent(context.nodeId(), id -> new AtomicInteger()).incrementAndGet() <= failures) {
                throw new NodeException("flaky", "failed on purpose");
            }
            return NodeResult.of(Map.of("out", "finally"));
        });
        add("fail", context -> {
            throw new NodeException("broken", "always fails");
        });
        add("double", context -> {
            Number value = (Number) context.variables().get(sel(context.config().get("input"))).orElseThrow();
            if (value.intValue() < 0) {
                throw new NodeException("negative", "negative input " + value);
            }
            return NodeResult.of(Map.of("out", value.longValue() * 2));
        });
        add("gate", context -> {
            CountDownLatch gate = gates.computeIfAbsent((String) context.config().get("name"),
                    name -> new CountDownLatch(((Number) context.config().get("parties")).intValue()));
            gate.countDown();
            try {
                if (!gate.await(10, TimeUnit.SECONDS)) {
                    throw new NodeException("gate", "the other branch never came");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NodeException("interrupted", "interrupted");
            }
            return NodeResult.of(Map.of("out", context.nodeId()));
        });
        add("block", context -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new NodeException("interrupted", "interrupted");
        });
        add("set", context -> NodeResult.of(Map.of()).withUpdates(List.of(new VariableUpdate(
                new VariableSelector(selector(context.config().get("target"))),
                context.config().get("value") instanceof List<?> add
                        ? ((Number) context.variables().get(sel(add)).orElse(0L)).longValue() + 1
                        : context.config().get("value")))));
        add("tokens", context -> {
            StringBuilder text = new StringBuilder();
            if (context.config().get("after") instanceof String gate) {
                // as a model whose first token comes later: here, once the test opens the gate
                try {
                    if (!gates.computeIfAbsent(gate, name -> new CountDownLatch(1)).await(10, TimeUnit.SECONDS)) {
                        throw new NodeException("gate", "the gate " + gate + " never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NodeException("interrupted", "interrupted");
                }
            }
            for (Object piece : (List<?>) context.config().get("pieces")) {
                context.emit(new dev.weft.spi.node.NodeEvent.TextChunk("text", (String) piece));
                text.append(piece);
            }
            return NodeResult.of(Map.of("text", text.toString()));
        });
        add("answer", context -> {
            String text = context.variables().render((String) context.config().get("answer"));
            if (!text.isEmpty()) {
                context.emit(new dev.weft.spi.node.NodeEvent.TextChunk("answer", text));
            }
            return NodeResult.of(Map.of("answer", text));
        });
        add("if-else", context -> {
            Map<?, ?> kase = (Map<?, ?>) ((List<?>) context.config().get("cases")).get(0);
            Map<?, ?> condition = (Map<?, ?>) ((List<?>) kase.get("conditions")).get(0);
            Number actual = (Number) context.variables().get(sel(condition.get("variable_selector"))).orElse(0L);
            boolean holds = actual.longValue() >= Long.parseLong(String.valueOf(condition.get("value")));
            return NodeResult.of(Map.of("result", holds)).withEdgeSourceHandle(holds ? (String) kase.get("case_id") : "false");
        });
    }

    private void add(String type, java.util.function.Function<NodeContext, NodeResult> behaviour) {
        types.put(type, new NodeType() {
            @Override
            public NodeDescriptor descriptor() {
                return new NodeDescriptor(type, "1", type, "", "utility", Map.of(), List.of(), List.of());
            }

            @Override
            public List<Violation> validate(Map<String, Object> config) {
                return List.of();
            }

            @Override
            public NodeResult execute(NodeContext context) {
                return behaviour.apply(context);
            }
        });
    }

    @Override
    public Optional<NodeType> apply(String type) {
        return Optional.ofNullable(types.get(type));
    }

    static VariableSelector sel(Object value) {
        return new VariableSelector(selector(value));
    }

    static List<String> selector(Object value) {
        return ((List<?>) value).stream().map(String::valueOf).toList();
    }

    static Map<String, Object> mapOf(String key, Object value) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(key, value);
        return map;
    }
}
