package dev.weft.spi.node;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Everything a node sees of the run that executes it.
 */
@ProviderType
public interface NodeContext {

    /** The id of the node in its graph. */
    String nodeId();

    /** The id of the run. */
    String runId();

    /** The id of the workspace the run belongs to. */
    String workspaceId();

    /** The node's configuration (the DSL's {@code data} block), as an unmodifiable JSON object. */
    Map<String, Object> config();

    /** The run's variables, read-only. */
    VariableView variables();

    /**
     * Sends an event while the node is still running (streamed text, say). Events reach the run's
     * listeners and streaming clients in the order they were emitted.
     */
    void emit(NodeEvent event);

    /** Whether the run was stopped; long-running nodes should check it and return early. */
    boolean isCancelled();

    /**
     * The conversation's earlier turns, oldest first, at most {@code maxTurns} of the newest; empty
     * outside chatflows and in a conversation's first turn. For the memory of nodes that call models.
     *
     * @since 1.1
     */
    default java.util.List<ConversationTurn> history(int maxTurns) {
        return java.util.List.of();
    }
}
