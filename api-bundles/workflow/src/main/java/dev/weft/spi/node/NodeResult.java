package dev.weft.spi.node;

import dev.weft.api.core.JsonValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a node produced.
 *
 * @param outputs the node's output variables; the engine stores them under the node's id
 * @param inputs the inputs the node actually used, as shown in the run's trace
 * @param processData intermediate data shown in the trace (a rendered prompt, a request sent)
 * @param edgeSourceHandle for branching nodes, the handle of the outgoing edges to follow
 *     ({@code true}/{@code false}, a case id, a class id); {@code null} follows every edge
 * @param metadata figures about the execution (token usage, cost, counts) as a JSON object
 * @param updates new values of conversation or loop variables, applied by the engine (since 1.1)
 */
@ProviderType
public record NodeResult(
        Map<String, Object> outputs,
        Map<String, Object> inputs,
        Map<String, Object> processData,
        String edgeSourceHandle,
        Map<String, Object> metadata,
        List<VariableUpdate> updates) {

    public NodeResult {
        outputs = jsonObject(outputs, "outputs");
        inputs = jsonObject(inputs, "inputs");
        processData = jsonObject(processData, "processData");
        metadata = jsonObject(metadata, "metadata");
        updates = updates == null ? List.of() : List.copyOf(updates);
    }

    /** The 1.0 form, without variable updates. */
    public NodeResult(Map<String, Object> outputs, Map<String, Object> inputs, Map<String, Object> processData,
            String edgeSourceHandle, Map<String, Object> metadata) {
        this(outputs, inputs, processData, edgeSourceHandle, metadata, List.of());
    }

    /** A result with these outputs and nothing else. */
    public static NodeResult of(Map<String, ?> outputs) {
        return new NodeResult(copy(outputs), Map.of(), Map.of(), null, Map.of(), List.of());
    }

    /** This result, recording the inputs the node used. */
    public NodeResult withInputs(Map<String, ?> usedInputs) {
        return new NodeResult(outputs, copy(usedInputs), processData, edgeSourceHandle, metadata, updates);
    }

    /** This result, recording intermediate data for the trace. */
    public NodeResult withProcessData(Map<String, ?> data) {
        return new NodeResult(outputs, inputs, copy(data), edgeSourceHandle, metadata, updates);
    }

    /** This result, following only the outgoing edges with this source handle. */
    public NodeResult withEdgeSourceHandle(String handle) {
        return new NodeResult(outputs, inputs, processData, Objects.requireNonNull(handle, "handle"), metadata,
                updates);
    }

    /** This result, with figures about the execution. */
    public NodeResult withMetadata(Map<String, ?> figures) {
        return new NodeResult(outputs, inputs, processData, edgeSourceHandle, copy(figures), updates);
    }

    /**
     * This result, asking the engine to give variables new values.
     *
     * @since 1.1
     */
    public NodeResult withUpdates(List<VariableUpdate> variableUpdates) {
        return new NodeResult(outputs, inputs, processData, edgeSourceHandle, metadata, variableUpdates);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, ?> map) {
        return (Map<String, Object>) map;
    }

    private static Map<String, Object> jsonObject(Map<String, Object> value, String name) {
        if (value == null) {
            return Map.of();
        }
        if (!JsonValues.isJsonValue(value)) {
            throw new IllegalArgumentException(name + " must hold JSON values only");
        }
        return JsonValues.copyOfObject(value);
    }
}
