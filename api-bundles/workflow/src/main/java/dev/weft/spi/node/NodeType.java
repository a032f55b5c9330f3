package dev.weft.spi.node;

import dev.weft.api.core.Pluggable;
import dev.weft.api.core.Violation;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A kind of node that workflow graphs can use, contributed as an OSGi service.
 *
 * <p>One instance serves every node of its type in every run, concurrently: keep per-execution
 * state on the stack. A bundle update replaces the service for new runs; runs in flight finish on
 * the instance they started with.
 */
@ConsumerType
public interface NodeType extends Pluggable {

    @Override
    NodeDescriptor descriptor();

    /**
     * Checks a node's configuration before any run, beyond what the descriptor's JSON schema says
     * (a selector that must have two parts, an expression that must parse). Called when a graph is
     * imported or saved, so every problem of every node can be reported at once.
     *
     * @param config the node's configuration, as found in the DSL's {@code data} block
     * @return every problem found, with JSON-pointer paths into {@code config}; empty when valid
     */
    List<Violation> validate(Map<String, Object> config);

    /**
     * Executes one node of a run. Called on a virtual thread; may block on I/O. Long-running work
     * should check {@link NodeContext#isCancelled()} or respond to interruption.
     *
     * @return the node's outputs, which the engine stores under the node's id in the variable pool
     * @throws NodeException when the node fails in a way the user should see
     */
    NodeResult execute(NodeContext context) throws NodeException;
}
