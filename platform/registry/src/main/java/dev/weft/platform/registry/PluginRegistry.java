package dev.weft.platform.registry;

import dev.weft.spi.node.NodeType;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The runtime picture of the platform's plug-ins.
 */
@ProviderType
public interface PluginRegistry {

    /**
     * Every installed bundle, by id, followed by the jars of {@code deploy/} that could not be
     * installed (these have no id).
     */
    List<BundleReport> bundles();

    /** Every node type contributed, serving and shadowed, ordered by type id then precedence. */
    List<NodeTypeEntry> nodeTypes();

    /** The node type that serves a type id: the one with the highest version. */
    Optional<NodeType> nodeType(String type);

    /**
     * A number that grows whenever something listed here changes.
     */
    long generation();

    /**
     * Calls {@code listener} with the new generation whenever something listed here changes, on a
     * thread of the registry's, until the returned handle is closed.
     */
    AutoCloseable subscribe(LongConsumer listener);
}
