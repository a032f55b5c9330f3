package dev.weft.platform.engine.internal.run;

import static dev.weft.platform.engine.internal.run.TestGraph.graph;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.workflow.NodeStatus;
import dev.weft.api.workflow.RunEvent;
import dev.weft.api.workflow.RunStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorHandlingTest {

    private static Map<String, Object> retries(int max, int intervalMillis) {
        return Map.of("retry_enabled", true, "max_retries", max, "retry_interval", intervalMillis);
    }

    @Test
    void a_failing_node_is_retried_as_configured_then_succeeds() {
        Trace trace = Trace.run(graph()
                .node("f", "flaky", Map.of("failures", 2, "retry_config", retries(3, 200)))
                .edge("s", "f").build(), Map.of());

        assertThat(trace.lines()).containsSubsequence("started f", "retried f 1", "retried f 2", "finished f succeeded",
                "run succeeded");
        assertThat(trace.sleeps).containsExactly(Duration.ofMillis(200), Duration.ofMillis(200));
    }

    @Test
    void retries_stop_at_max_retries_and_the_run_fails() {
        Trace trace = Trace.run(graph()
                .node("f", "flaky", Map.of("failures", 5, "retry_config", retries(2, 10)))
                .edge("s", "f").build(), Map.of());

        assertThat(trace.all(RunEvent.NodeRetried.class)).hasSize(2);
        assertThat(trace.outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(trace.outcome.error()).contains("failed on purpose");
    }

    @Test
    void retry_settings_beyond_difys_caps_are_capped() {
        NodeRunner.RetryConfig config = NodeRunner.RetryConfig.of(Map.of("retry_config", retries(50, 60_000)));

        assertThat(config.maxRetries()).isEqualTo(10);
        assertThat(config.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(NodeRunner.RetryConfig.of(Map.of()).maxRetries()).isZero();
    }

    @Test
    void default_value_strategy_gives_the_defaults_and_the_run_partially_succeeds() {
        Trace trace = Trace.run(graph()
                .node("f", "fail", Map.of("error_strategy", "default-value", "default_value", List.of(
                        Map.of("key", "count", "type", "number", "value", "42"),
                        Map.of("key", "text", "type", "string", "value", "n/a"))))
                .node("after", "echo", Map.of("value", "{{#f.text#}} {{#f.count#}} {{#f.error_type#}}"))
                .edge("s", "f").edge("f", "after").build(), Map.of());

        RunEvent.NodeFinished failed = trace.all(RunEvent.NodeFinished.class).get(1);
        assertThat(failed.status()).isEqualTo(NodeStatus.EXCEPTION);
        assertThat(failed.outputs()).containsEntry("count", 42L).containsEntry("error_message", "always fails");
        assertThat(trace.all(RunEvent.NodeFinished.class).get(2).outputs()).containsEntry("out", "n/a 42 broken");
        assertThat(trace.outcome.status()).isEqualTo(RunStatus.PARTIAL_SUCCEEDED);
        assertThat(trace.outcome.exceptions()).isEqualTo(1);
    }

    @Test
    void fail_branch_strategy_takes_the_fail_branch_only() {
        Trace trace = Trace.run(graph()
                .node("f", "fail", Map.of("error_strategy", "fail-branch"))
                .node("ok", "echo", Map.of("value", "ok"))
                .node("recover", "echo", Map.of("value", "recovered from {{#f.error_message#}}"))
                .edge("s", "f").edge("f", "source", "ok").edge("f", "fail-branch", "recover").build(), Map.of());

        assertThat(trace.lines()).doesNotContain("started ok").contains("finished recover succeeded", "run partial-succeeded");
        assertThat(trace.all(RunEvent.NodeFinished.class).get(2).outputs()).containsEntry("out", "recovered from always fails");
    }

    @Test
    void with_fail_branch_a_success_follows_the_success_edges() {
        Trace trace = Trace.run(graph()
                .node("f", "echo", Map.of("value", "fine", "error_strategy", "fail-branch"))
                .node("ok", "echo", Map.of("value", "ok"))
                .node("ok2", "echo", Map.of("value", "ok too"))
                .node("recover", "echo", Map.of("value", "recovered"))
                .edge("s", "f").edge("f", "source", "ok").edge("f", "success-branch", "ok2")
                .edge("f", "fail-branch", "recover").build(), Map.of());

        assertThat(trace.lines()).contains("finished ok succeeded", "finished ok2 succeeded", "run succeeded")
                .doesNotContain("started recover");
    }

    @Test
    void an_unhandled_failure_fails_the_run_and_nothing_after_it_starts() {
        Trace trace = Trace.run(graph()
                .node("f", "fail", Map.of())
                .node("after", "echo", Map.of("value", "never"))
                .edge("s", "f").edge("f", "after").build(), Map.of());

        assertThat(trace.lines()).containsExactly("run started", "started s", "finished s succeeded", "started f",
                "finished f failed", "run failed");
        assertThat(trace.all(RunEvent.RunFinished.class).get(0).error()).contains("always fails");
    }

    @Test
    void a_node_may_write_conversation_variables_but_not_other_nodes_outputs() {
        Trace trace = new Trace();
        WorkflowRun run = trace.prepare(graph()
                .node("w", "set", Map.of("target", List.of("conversation", "topic"), "value", "cats"))
                .node("read", "echo", Map.of("value", "{{#conversation.topic#}}"))
                .edge("s", "w").edge("w", "read").build(), Map.of(), new TestNodes(), Limits.DEFAULTS,
                Map.of("topic", "dogs"));
        WorkflowRun.Outcome outcome = run.execute();

        assertThat(outcome.conversation()).containsEntry("topic", "cats");
        assertThat(trace.all(RunEvent.NodeFinished.class).get(2).outputs()).containsEntry("out", "cats");

        Trace refused = Trace.run(graph()
                .node("w", "set", Map.of("target", List.of("s", "q"), "value", "forged"))
                .edge("s", "w").build(), Map.of("q", "real"));
        assertThat(refused.outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(refused.all(RunEvent.NodeFinished.class).get(1).errorType()).isEqualTo("variable_not_writable");
    }
}
