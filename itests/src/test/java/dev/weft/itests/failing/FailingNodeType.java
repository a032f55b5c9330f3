package dev.weft.itests.failing;

import dev.weft.api.core.Violation;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import java.util.List;
import java.util.Map;

/** A node type whose component cannot be created: what a plug-in missing its configuration does. */
public final class FailingNodeType implements NodeType {

    public FailingNodeType() {
        throw new IllegalStateException("no licence key configured");
    }

    @Override
    public NodeDescriptor descriptor() {
        return new NodeDescriptor("itest.failing", "1", "Failing", "", "utility", Map.of(), List.of(), List.of());
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        return List.of();
    }

    @Override
    public NodeResult execute(NodeContext context) {
        return NodeResult.of(Map.of());
    }
}
