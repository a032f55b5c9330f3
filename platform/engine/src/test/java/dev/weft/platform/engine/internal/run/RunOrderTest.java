package dev.weft.platform.engine.internal.run;

import static dev.weft.platform.engine.internal.run.TestGraph.graph;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.workflow.RunEvent;
import dev.weft.api.workflow.RunStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunOrderTest {

    private static Map<String, Object> end(String variable, String... selector) {
        return Map.of("outputs", List.of(Map.of("variable", variable, "value_selector", List.of(selector))));
    }

    @Test
    void a_linear_graph_runs_node_after_node_and_returns_the_end_outputs() {
        Trace trace = Trace.run(graph()
                .node("a", "echo", Map.of("value", "hello {{#s.q#}} from {{#env.region#}}"))
                .node("e", "end", end("greeting", "a", "out"))
                .edge("s", "a").edge("a", "e").build(), Map.of("q", "Ada"));

        assertThat(trace.lines()).containsExactly("run started", "started s", "finished s succeeded", "started a",
                "finished a succeeded", "started e", "finished e succeeded", "run succeeded");
        assertThat(trace.outcome.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(trace.outcome.outputs()).containsEntry("greeting", "hello Ada from eu");
        assertThat(trace.outcome.steps()).isEqualTo(3);
    }

    @Test
    void node_events_carry_their_position_and_predecessor() {
        Trace trace = Trace.run(graph().node("a", "echo", Map.of("value", 1)).edge("s", "a").build(), Map.of());

        RunEvent.NodeStarted a = trace.all(RunEvent.NodeStarted.class).get(1);
        assertThat(a.index()).isEqualTo(2);
        assertThat(a.predecessorNodeId()).isEqualTo("s");
        assertThat(a.title()).isEqualTo("A");
        RunEvent.NodeFinished finished = trace.all(RunEvent.NodeFinished.class).get(1);
        assertThat(finished.outputs()).containsEntry("out", 1);
        assertThat(finished.nodeType()).isEqualTo("echo");
    }

    @Test
    void a_branch_follows_only_the_edges_of_its_handle_and_the_join_does_not_wait_for_the_other() {
        Trace trace = Trace.run(graph()
                .node("if", "branch", Map.of("handle", "case-1"))
                .node("yes", "echo", Map.of("value", "yes"))
                .node("no", "echo", Map.of("value", "no"))
                .node("after-no", "echo", Map.of("value", "after no"))
                .node("join", "echo", Map.of("value", "{{#yes.out#}}{{#no.out#}}"))
                .edge("s", "if").edge("if", "case-1", "yes").edge("if", "false", "no").edge("no", "after-no")
                .edge("yes", "join").edge("after-no", "join").build(), Map.of());

        assertThat(trace.lines()).doesNotContain("started no", "started after-no").contains("finished join succeeded");
        RunEvent.NodeFinished join = trace.all(RunEvent.NodeFinished.class).get(3);
        assertThat(join.nodeId()).isEqualTo("join");
        assertThat(join.outputs()).containsEntry("out", "yes");
    }

    @Test
    void parallel_branches_run_at_the_same_time_and_the_join_waits_for_both() {
        Trace trace = Trace.run(graph()
                .node("left", "gate", Map.of("name", "g", "parties", 2))
                .node("right", "gate", Map.of("name", "g", "parties", 2))
                .node("join", "echo", Map.of("value", "{{#left.out#}}+{{#right.out#}}"))
                .edge("s", "left").edge("s", "right").edge("left", "join").edge("right", "join").build(), Map.of());

        // each gate waits for the other: both finish only if they ran at once
        assertThat(trace.outcome.status()).isEqualTo(RunStatus.SUCCEEDED);
        List<String> lines = trace.lines();
        assertThat(lines.indexOf("started join")).isGreaterThan(lines.indexOf("finished left succeeded"))
                .isGreaterThan(lines.indexOf("finished right succeeded"));
        assertThat(trace.all(RunEvent.NodeFinished.class).get(3).outputs()).containsEntry("out", "left+right");
    }

    @Test
    void several_end_nodes_merge_their_outputs_the_later_winning() {
        Trace trace = Trace.run(graph()
                .node("a", "echo", Map.of("value", "first"))
                .node("e1", "end", end("x", "a", "out"))
                .node("b", "echo", Map.of("value", "second"))
                .node("e2", "end", Map.of("outputs", List.of(
                        Map.of("variable", "x", "value_selector", List.of("b", "out")),
                        Map.of("variable", "y", "value_selector", List.of("sys", "user_id")))))
                .edge("s", "a").edge("a", "e1").edge("e1", "b").edge("b", "e2").build(), Map.of());

        assertThat(trace.outcome.outputs()).containsEntry("x", "second").containsEntry("y", "u-1");
    }

    @Test
    void a_node_of_a_type_no_plugin_provides_fails_the_run_precisely() {
        Trace trace = Trace.run(graph().node("m", "llm", Map.of()).edge("s", "m").build(), Map.of());

        assertThat(trace.outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(trace.outcome.error()).contains("node M (m)").contains("no installed plug-in provides the node type 'llm'");
        assertThat(trace.all(RunEvent.NodeFinished.class).get(1).errorType()).isEqualTo("node_type_missing");
    }

    @Test
    void system_variables_carry_the_run_and_the_caller() {
        Trace trace = Trace.run(graph()
                .node("a", "echo", Map.of("value", "{{#sys.workflow_run_id#}} {{#sys.app_id#}} {{#sys.user_id#}}"))
                .edge("s", "a").build(), Map.of());

        assertThat(trace.all(RunEvent.NodeFinished.class).get(1).outputs()).containsEntry("out", "run-1 app-1 u-1");
    }
}
