package dev.weft.platform.engine.internal.run;

import static dev.weft.platform.engine.internal.run.TestGraph.graph;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.workflow.RunEvent;
import dev.weft.api.workflow.RunStatus;
import dev.weft.platform.engine.internal.graph.Graph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerTest {

    private static Graph iteration(Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>(Map.of("iterator_selector", List.of("s", "q"),
                "output_selector", List.of("d", "out"), "start_node_id", "it-start"));
        data.putAll(extra);
        return graph()
                .node("it", "iteration", data)
                .child("it-start", "iteration-start", Map.of(), "it")
                .child("d", "double", Map.of("input", List.of("it", "item")), "it")
                .edge("it-start", "d")
                .node("e", "end", Map.of("outputs", List.of(Map.of("variable", "all", "value_selector", List.of("it", "output")))))
                .edge("s", "it").edge("it", "e").build();
    }

    @Test
    void a_sequential_iteration_runs_its_children_per_item_in_order() {
        Trace trace = Trace.run(iteration(Map.of()), Map.of("q", List.of(1, 2, 3)));

        assertThat(trace.outcome.outputs()).containsEntry("all", List.of(2L, 4L, 6L));
        assertThat(trace.lines()).containsSubsequence("started it", "iteration started it 3", "iteration next it 0",
                "finished d succeeded", "iteration next it 1", "finished d succeeded", "iteration next it 2",
                "finished d succeeded", "iteration completed it succeeded", "finished it succeeded", "started e");
        assertThat(trace.all(RunEvent.NodeStarted.class).stream().filter(e -> e.nodeId().equals("d")))
                .allSatisfy(e -> assertThat(e.iterationId()).isEqualTo("it"));
    }

    @Test
    void a_parallel_iteration_keeps_each_items_output_in_its_place() {
        Trace trace = Trace.run(iteration(Map.of("is_parallel", true, "parallel_nums", 3)),
                Map.of("q", List.of(5, 6, 7, 8, 9, 10)));

        assertThat(trace.outcome.outputs()).containsEntry("all", List.of(10L, 12L, 14L, 16L, 18L, 20L));
        assertThat(trace.all(RunEvent.IterationNext.class)).hasSize(6);
    }

    @Test
    void a_failed_round_stops_a_terminated_iteration() {
        Trace trace = Trace.run(iteration(Map.of()), Map.of("q", List.of(1, -2, 3)));

        assertThat(trace.outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(trace.lines()).doesNotContain("iteration next it 2").contains("iteration completed it failed");
    }

    @Test
    void continue_on_error_keeps_a_null_and_remove_abnormal_output_drops_it() {
        Trace kept = Trace.run(iteration(Map.of("error_handle_mode", "continue-on-error")), Map.of("q", List.of(1, -2, 3)));
        Trace removed = Trace.run(iteration(Map.of("error_handle_mode", "remove-abnormal-output")),
                Map.of("q", List.of(1, -2, 3)));

        assertThat(kept.outcome.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(kept.outcome.outputs().get("all")).isEqualTo(java.util.Arrays.asList(2L, null, 6L));
        assertThat(removed.outcome.outputs()).containsEntry("all", List.of(2L, 6L));
    }

    @Test
    void an_iteration_over_something_that_is_not_an_array_fails_clearly() {
        Trace trace = Trace.run(iteration(Map.of()), Map.of("q", "not a list"));

        assertThat(trace.outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(trace.outcome.error()).contains("s.q is not an array");
    }

    @Test
    void lists_of_lists_are_flattened_unless_flatten_output_is_off() {
        Graph graph = graph()
                .node("it", "iteration", Map.of("iterator_selector", List.of("s", "q"),
                        "output_selector", List.of("it", "item"), "start_node_id", "it-start"))
                .child("it-start", "iteration-start", Map.of(), "it")
                .node("e", "end", Map.of("outputs", List.of(Map.of("variable", "all", "value_selector", List.of("it", "output")))))
                .edge("s", "it").edge("it", "e").build();

        assertThat(Trace.run(graph, Map.of("q", List.of(List.of(1, 2), List.of(3)))).outcome.outputs())
                .containsEntry("all", List.of(1, 2, 3));
    }

    private static Graph loop(Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>(Map.of("loop_count", 10, "start_node_id", "lp-start",
                "loop_variables", List.of(Map.of("label", "n", "var_type", "number", "value_type", "constant", "value", "0"))));
        data.putAll(extra);
        return graph()
                .node("lp", "loop", data)
                .child("lp-start", "loop-start", Map.of(), "lp")
                .child("inc", "set", Map.of("target", List.of("lp", "n"), "value", List.of("lp", "n")), "lp")
                .edge("lp-start", "inc")
                .node("e", "end", Map.of("outputs", List.of(Map.of("variable", "n", "value_selector", List.of("lp", "n")))))
                .edge("s", "lp").edge("lp", "e").build();
    }

    @Test
    void a_loop_runs_until_its_break_conditions_hold_and_outputs_its_variables() {
        Trace trace = Trace.run(loop(Map.of("break_conditions", List.of(
                Map.of("variable_selector", List.of("lp", "n"), "comparison_operator", "≥", "value", "3")))), Map.of());

        assertThat(trace.outcome.outputs()).containsEntry("n", 3L);
        assertThat(trace.lines()).containsSubsequence("loop started lp", "finished inc succeeded", "loop next lp 1",
                "finished inc succeeded", "loop next lp 2", "finished inc succeeded", "loop completed lp succeeded");
        assertThat(trace.all(RunEvent.LoopNext.class).get(0).previousOutputs()).containsEntry("n", 1L);
    }

    @Test
    void a_loop_stops_at_loop_count_without_break_conditions() {
        assertThat(Trace.run(loop(Map.of("loop_count", 4)), Map.of()).outcome.outputs()).containsEntry("n", 4L);
    }

    @Test
    void a_loop_end_node_ends_the_loop_after_its_round() {
        Graph graph = graph()
                .node("lp", "loop", Map.of("loop_count", 10, "start_node_id", "lp-start",
                        "loop_variables", List.of(Map.of("label", "n", "var_type", "number", "value_type", "constant", "value", 0))))
                .child("lp-start", "loop-start", Map.of(), "lp")
                .child("inc", "set", Map.of("target", List.of("lp", "n"), "value", List.of("lp", "n")), "lp")
                .child("exit", "loop-end", Map.of(), "lp")
                .edge("lp-start", "inc").edge("inc", "exit")
                .node("e", "end", Map.of("outputs", List.of(Map.of("variable", "n", "value_selector", List.of("lp", "n")))))
                .edge("s", "lp").edge("lp", "e").build();

        assertThat(Trace.run(graph, Map.of()).outcome.outputs()).containsEntry("n", 1L);
    }

    @Test
    void a_loop_count_above_the_limit_is_refused() {
        Trace trace = Trace.run(loop(Map.of("loop_count", 1000)), Map.of());

        assertThat(trace.outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(trace.outcome.error()).contains("loop_count must be between 1 and 100");
    }
}
