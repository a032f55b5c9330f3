package dev.weft.node.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.node.testing.TestNodeContext;
import dev.weft.spi.node.NodeEvent;
import dev.weft.spi.node.NodeResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndAndAnswerTest {

    @Test
    void end_outputs_each_selected_value_and_null_for_missing_ones() {
        NodeResult result = new EndNode().execute(TestNodeContext.of(Map.of("outputs", List.of(
                Map.of("variable", "text", "value_selector", List.of("llm", "text")),
                Map.of("variable", "missing", "value_selector", List.of("nowhere", "x")),
                Map.of("variable", "first", "value_selector", List.of("data", "items", "0")))))
                .with("llm.text", "hello").with("data.items", List.of("a", "b")));

        assertThat(result.outputs()).containsEntry("text", "hello").containsEntry("missing", null)
                .containsEntry("first", "a");
    }

    @Test
    void answer_renders_its_template_and_streams_it() {
        TestNodeContext context = TestNodeContext.of(Map.of("answer", "Hi {{#start.name#}}!")).with("start.name", "Ada");

        NodeResult result = new AnswerNode().execute(context);

        assertThat(result.outputs()).containsEntry("answer", "Hi Ada!");
        assertThat(context.events()).containsExactly(new NodeEvent.TextChunk("answer", "Hi Ada!"));
    }
}
