package dev.weft.node.logic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.node.testing.TestNodeContext;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableUpdate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AggregatorAndAssignerTest {

    @Test
    void the_aggregator_takes_the_first_variable_that_has_a_value() {
        NodeResult result = new VariableAggregatorNode().execute(TestNodeContext.of(Map.of("variables", List.of(
                List.of("skipped", "text"), List.of("taken", "text"), List.of("other", "text"))))
                .with("taken.text", "from the branch that ran").with("other.text", "later"));

        assertThat(result.outputs()).containsEntry("output", "from the branch that ran");
    }

    @Test
    void grouped_aggregation_gives_one_output_per_group_and_the_legacy_id_works_the_same() {
        Map<String, Object> config = Map.of("advanced_settings", Map.of("group_enabled", true, "groups", List.of(
                Map.of("group_name", "g1", "variables", List.of(List.of("a", "x"))),
                Map.of("group_name", "g2", "variables", List.of(List.of("b", "x"))))));

        NodeResult result = new VariableAggregatorNode.Legacy().execute(TestNodeContext.of(config).with("a.x", 1));

        assertThat(result.outputs()).containsEntry("g1", Map.of("output", 1));
        assertThat(result.outputs().get("g2")).isEqualTo(java.util.Collections.singletonMap("output", null));
        assertThat(new VariableAggregatorNode.Legacy().descriptor().type()).isEqualTo("variable-assigner");
    }

    private static Object assign(String operation, Object current, Object value) throws NodeException {
        return AssignerNode.apply(operation, current, value, VariableSelector.of("conversation", "v"));
    }

    @Test
    void every_write_mode_of_the_assigner() throws NodeException {
        assertThat(assign("over-write", "old", "new")).isEqualTo("new");
        assertThat(assign("set", 1L, 5L)).isEqualTo(5L);
        assertThat(assign("clear", "text", null)).isEqualTo("");
        assertThat(assign("clear", List.of(1), null)).isEqualTo(List.of());
        assertThat(assign("clear", 7L, null)).isEqualTo(0L);
        assertThat(assign("append", List.of("a"), "b")).isEqualTo(List.of("a", "b"));
        assertThat(assign("append", null, "b")).isEqualTo(List.of("b"));
        assertThat(assign("extend", List.of(1L), List.of(2L, 3L))).isEqualTo(List.of(1L, 2L, 3L));
        assertThat(assign("+=", 2L, 3L)).isEqualTo(5L);
        assertThat(assign("-=", 2L, "0.5")).isEqualTo(1.5);
        assertThat(assign("*=", 2L, 3L)).isEqualTo(6L);
        assertThat(assign("/=", 7L, 2L)).isEqualTo(3.5);
        assertThat(assign("remove-first", List.of(1L, 2L), null)).isEqualTo(List.of(2L));
        assertThat(assign("remove-last", List.of(1L, 2L), null)).isEqualTo(List.of(1L));
        assertThat(assign("remove-last", List.of(), null)).isEqualTo(List.of());
    }

    @Test
    void dividing_by_zero_and_appending_to_text_are_refused() {
        assertThatThrownBy(() -> assign("/=", 1L, 0L)).hasMessageContaining("divide").isInstanceOf(NodeException.class);
        assertThatThrownBy(() -> assign("append", "text", "x")).hasMessageContaining("arrays");
    }

    @Test
    void the_assigner_asks_the_engine_for_the_writes_applying_items_in_order() {
        NodeResult result = new AssignerNode().execute(TestNodeContext.of(Map.of("version", "2", "items", List.of(
                Map.of("variable_selector", List.of("conversation", "count"), "input_type", "constant",
                        "operation", "+=", "value", 1),
                Map.of("variable_selector", List.of("conversation", "count"), "input_type", "constant",
                        "operation", "*=", "value", 10),
                Map.of("variable_selector", List.of("conversation", "last"), "input_type", "variable",
                        "operation", "over-write", "value", List.of("start", "q")))))
                .with("conversation.count", 2L).with("start.q", "hello"));

        assertThat(result.updates()).containsExactly(
                new VariableUpdate(VariableSelector.of("conversation", "count"), 30L),
                new VariableUpdate(VariableSelector.of("conversation", "last"), "hello"));
    }

    @Test
    void version_1_assignments_still_work() {
        NodeResult result = new AssignerNode().execute(TestNodeContext.of(Map.of(
                "assigned_variable_selector", List.of("conversation", "history"), "write_mode", "append",
                "input_variable_selector", List.of("start", "q")))
                .with("conversation.history", List.of("hi")).with("start.q", "bye"));

        assertThat(result.updates()).containsExactly(
                new VariableUpdate(VariableSelector.of("conversation", "history"), List.of("hi", "bye")));
    }
}
