package dev.weft.platform.registry;

import dev.weft.spi.node.NodeDescriptor;

/**
 * A node type and where it comes from.
 *
 * @param descriptor what the node type says of itself
 * @param bundleId the id of the bundle that contributes it
 * @param bundle that bundle's symbolic name
 * @param bundleVersion that bundle's version
 * @param shadowed whether another contribution of the same type id serves instead
 */
public record NodeTypeEntry(NodeDescriptor descriptor, long bundleId, String bundle, String bundleVersion,
        boolean shadowed) {
}
