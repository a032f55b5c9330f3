package dev.weft.node.core.internal;

import dev.weft.api.core.Violation;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeEvent;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.VariableSpec;
import dev.weft.spi.node.VariableType;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code answer}: renders its {@code answer} template ({@code {{#node.var#}}} references) and
 * streams it as the chatflow's reply. Several answer nodes reply one after another.
 */
@Component(service = NodeType.class)
public final class AnswerNode implements NodeType {

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor("answer", "1", "Answer",
            "A reply of a chatflow, streamed to the user.", "entry",
            Map.of("type", "object", "required", List.of("answer"),
                    "properties", Map.of("answer", Map.of("type", "string"))),
            List.of(), List.of(VariableSpec.of("answer", VariableType.STRING), VariableSpec.of("files", VariableType.ARRAY_FILE)));

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        Object answer = config.get("answer");
        return answer == null || answer instanceof String ? List.of()
                : List.of(new Violation("/answer", "must be text"));
    }

    @Override
    public NodeResult execute(NodeContext context) {
        String text = context.variables().render(context.config().get("answer") instanceof String answer ? answer : "");
        if (!text.isEmpty()) {
            context.emit(new NodeEvent.TextChunk("answer", text));
        }
        return NodeResult.of(Map.of("answer", text, "files", List.of()));
    }
}
