package dev.weft.node.logic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.node.testing.TestNodeContext;
import dev.weft.spi.node.NodeResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IfElseNodeTest {

    private final IfElseNode node = new IfElseNode();

    private static Map<String, Object> condition(String operator, Object value, String... selector) {
        return Map.of("variable_selector", List.of(selector), "comparison_operator", operator, "value", value);
    }

    private static Map<String, Object> kase(String id, String logical, Object... conditions) {
        return Map.of("case_id", id, "logical_operator", logical, "conditions", List.of(conditions));
    }

    @Test
    void the_first_case_that_holds_gives_the_handle() {
        TestNodeContext context = TestNodeContext.of(Map.of("cases", List.of(
                kase("small", "and", condition("<", "10", "start", "n")),
                kase("medium", "and", condition("<", "100", "start", "n"))))).with("start.n", 42);

        NodeResult result = node.execute(context);

        assertThat(result.edgeSourceHandle()).isEqualTo("medium");
        assertThat(result.outputs()).containsEntry("result", true).containsEntry("selected_case_id", "medium");
    }

    @Test
    void no_case_holding_follows_false() {
        NodeResult result = node.execute(TestNodeContext.of(Map.of("cases", List.of(
                kase("yes", "and", condition("is", "x", "start", "q"))))).with("start.q", "y"));

        assertThat(result.edgeSourceHandle()).isEqualTo("false");
        assertThat(result.outputs()).containsEntry("result", false);
    }

    @Test
    void and_needs_every_condition_or_needs_one() {
        Object[] conditions = {condition("contains", "cat", "start", "q"), condition("contains", "dog", "start", "q")};
        TestNodeContext context = TestNodeContext.of(Map.of("cases", List.of(kase("both", "and", conditions),
                kase("either", "or", conditions)))).with("start.q", "a cat");

        assertThat(node.execute(context).edgeSourceHandle()).isEqualTo("either");
    }

    @Test
    void the_legacy_form_has_one_case_called_true() {
        NodeResult result = node.execute(TestNodeContext.of(Map.of("logical_operator", "and",
                "conditions", List.of(condition("not empty", "", "start", "q")))).with("start.q", "x"));

        assertThat(result.edgeSourceHandle()).isEqualTo("true");
    }

    @Test
    void condition_values_may_reference_variables() {
        NodeResult result = node.execute(TestNodeContext.of(Map.of("cases", List.of(
                kase("same", "and", condition("is", "{{#start.b#}}", "start", "a")))))
                .with("start.a", "x").with("start.b", "x"));

        assertThat(result.edgeSourceHandle()).isEqualTo("same");
    }

    @Test
    void sub_conditions_filter_files_by_attribute() {
        Map<String, Object> withSub = Map.of("variable_selector", List.of("start", "files"),
                "comparison_operator", "contains", "value", "",
                "sub_variable_condition", Map.of("logical_operator", "and", "conditions", List.of(
                        Map.of("key", "type", "comparison_operator", "is", "value", "image"),
                        Map.of("key", "extension", "comparison_operator", "in", "value", List.of("png", ".jpg")))));
        TestNodeContext images = TestNodeContext.of(Map.of("cases", List.of(kase("has-image", "and", withSub))))
                .with("start.files", List.of(Map.of("type", "document", "extension", ".pdf"),
                        Map.of("type", "image", "extension", "png")));
        TestNodeContext none = TestNodeContext.of(Map.of("cases", List.of(kase("has-image", "and", withSub))))
                .with("start.files", List.of(Map.of("type", "document", "extension", ".pdf")));

        assertThat(node.execute(images).edgeSourceHandle()).isEqualTo("has-image");
        assertThat(node.execute(none).edgeSourceHandle()).isEqualTo("false");
    }

    @Test
    void unknown_operators_are_reported_when_checked() {
        assertThat(node.validate(Map.of("cases", List.of(kase("c", "and", condition("resembles", "x", "a", "b"))))))
                .singleElement().satisfies(v -> assertThat(v.path()).isEqualTo("/cases/0/conditions/0/comparison_operator"));
    }
}
