package dev.weft.example.textcase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.core.Violation;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextCaseNodeTest {

    private final TextCaseNode node = new TextCaseNode();

    @Test
    void should_upper_case_the_rendered_text_by_default() {
        NodeResult result = node.execute(new FakeContext(Map.of("text", "Hello {{#start.name#}}"),
                Map.of("start.name", "Ada")));

        assertThat(result.outputs()).containsEntry("text", "HELLO ADA");
        assertThat(result.inputs()).containsEntry("text", "Hello Ada").containsEntry("case", "upper");
    }

    @Test
    void should_lower_case_when_asked() {
        NodeResult result = node.execute(new FakeContext(Map.of("text", "MiXeD", "case", "lower"), Map.of()));

        assertThat(result.outputs()).containsEntry("text", "mixed");
    }

    @Test
    void should_title_case_every_word_since_1_1() {
        NodeResult result = node.execute(new FakeContext(Map.of("text", "the QUICK brown fox's den", "case", "title"),
                Map.of()));

        assertThat(result.outputs()).containsEntry("text", "The Quick Brown Fox's Den");
        assertThat(node.descriptor().version()).isEqualTo("2");
    }

    @Test
    void should_report_every_configuration_problem_at_once() {
        assertThat(node.validate(Map.of("case", "camel"))).containsExactly(
                new Violation("/text", "is required and must be a string"),
                new Violation("/case", "must be one of [upper, lower, title]"));
    }

    @Test
    void should_fail_the_node_with_a_clear_code_on_invalid_configuration() {
        assertThatThrownBy(() -> node.execute(new FakeContext(Map.of("text", 3), Map.of())))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("invalid_config"));
    }

    @Test
    void should_describe_itself_as_a_community_type_with_a_schema() {
        assertThat(node.descriptor().type()).isEqualTo("example.text-case");
        assertThat(node.descriptor().isCommunityType()).isTrue();
        assertThat(node.descriptor().configSchema()).containsKey("properties");
    }
}
