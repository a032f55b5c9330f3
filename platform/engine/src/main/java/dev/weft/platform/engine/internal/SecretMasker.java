package dev.weft.platform.engine.internal;

import dev.weft.api.workflow.RunEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the values of an app's secret environment variables out of everything a run reports: its
 * events (and so its stream and its records), its result. Nodes use the real values; whatever they
 * report (inputs, outputs, trace data, errors, streamed text) has each occurrence replaced by
 * {@value #MASK}.
 */
final class SecretMasker {

    static final String MASK = "******";
    /** Shorter values are masked only where they are a whole value: inside text they would hit too much. */
    static final int MIN_INSIDE_TEXT = 4;

    private final List<String> secrets;

    SecretMasker(Set<String> secrets) {
        this.secrets = secrets.stream().filter(s -> !s.isEmpty()).sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    boolean isEmpty() {
        return secrets.isEmpty();
    }

    RunEvent mask(RunEvent event) {
        if (secrets.isEmpty()) {
            return event;
        }
        return switch (event) {
            case RunEvent.RunStarted e -> new RunEvent.RunStarted(e.runId(), e.at(), e.workflowId(), map(e.inputs()));
            case RunEvent.NodeStarted e -> new RunEvent.NodeStarted(e.runId(), e.at(), e.executionId(), e.nodeId(),
                    e.nodeType(), e.title(), e.index(), e.predecessorNodeId(), map(e.inputs()), e.iterationId(), e.loopId());
            case RunEvent.TextChunk e -> new RunEvent.TextChunk(e.runId(), e.at(), e.nodeId(), e.output(), text(e.text()));
            case RunEvent.NodeRetried e -> new RunEvent.NodeRetried(e.runId(), e.at(), e.executionId(), e.nodeId(),
                    e.attempt(), text(e.error()));
            case RunEvent.NodeFinished e -> new RunEvent.NodeFinished(e.runId(), e.at(), e.executionId(), e.nodeId(),
                    e.status(), map(e.inputs()), map(e.outputs()), text(e.error()), e.elapsed(), e.nodeType(), e.title(),
                    map(e.processData()), e.metadata(), e.errorType(), e.index(), e.iterationId(), e.loopId());
            case RunEvent.IterationStarted e -> new RunEvent.IterationStarted(e.runId(), e.at(), e.executionId(),
                    e.nodeId(), e.title(), map(e.inputs()), e.count());
            case RunEvent.IterationCompleted e -> new RunEvent.IterationCompleted(e.runId(), e.at(), e.executionId(),
                    e.nodeId(), e.status(), map(e.outputs()), text(e.error()), e.elapsed(), e.steps());
            case RunEvent.LoopStarted e -> new RunEvent.LoopStarted(e.runId(), e.at(), e.executionId(), e.nodeId(),
                    e.title(), map(e.inputs()));
            case RunEvent.LoopNext e -> new RunEvent.LoopNext(e.runId(), e.at(), e.executionId(), e.nodeId(), e.index(),
                    map(e.previousOutputs()));
            case RunEvent.LoopCompleted e -> new RunEvent.LoopCompleted(e.runId(), e.at(), e.executionId(), e.nodeId(),
                    e.status(), map(e.outputs()), text(e.error()), e.elapsed(), e.steps());
            case RunEvent.RunFinished e -> new RunEvent.RunFinished(e.runId(), e.at(), e.status(), map(e.outputs()),
                    text(e.error()), e.elapsed(), e.totalSteps(), e.exceptionsCount(), e.totalTokens());
            default -> event;
        };
    }

    Map<String, Object> map(Map<String, Object> values) {
        if (values == null || secrets.isEmpty()) {
            return values;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((key, value) -> out.put(key, value(value)));
        return out;
    }

    Object value(Object value) {
        if (value instanceof String text) {
            return text(text);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, inner) -> out.put(String.valueOf(key), value(inner)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(inner -> out.add(value(inner)));
            return out;
        }
        return value;
    }

    String text(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : secrets) {
            if (out.equals(secret)) {
                return MASK;
            }
            if (secret.length() >= MIN_INSIDE_TEXT && out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }
}
