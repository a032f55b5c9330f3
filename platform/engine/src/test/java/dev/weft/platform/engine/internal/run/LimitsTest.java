package dev.weft.platform.engine.internal.run;

import static dev.weft.platform.engine.internal.run.TestGraph.graph;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.workflow.RunStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void a_run_that_takes_more_steps_than_allowed_fails() {
        Trace trace = Trace.run(graph()
                .node("it", "iteration", Map.of("iterator_selector", List.of("s", "q"), "output_selector",
                        List.of("d", "out"), "start_node_id", "it-start"))
                .child("it-start", "iteration-start", Map.of(), "it")
                .child("d", "double", Map.of("input", List.of("it", "item")), "it")
                .edge("it-start", "d").edge("s", "it").build(),
                Map.of("q", List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)), new TestNodes(),
                new Limits(12, Duration.ofMinutes(1), 10, 100));

        assertThat(trace.outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(trace.outcome.error()).contains("limit of 12 steps");
    }

    @Test
    void a_run_that_takes_longer_than_allowed_fails_and_its_nodes_are_stopped() {
        Trace trace = Trace.run(graph().node("b", "block", Map.of()).edge("s", "b").build(), Map.of(), new TestNodes(),
                new Limits(500, Duration.ofMillis(300), 10, 100));

        assertThat(trace.outcome.status()).isEqualTo(RunStatus.STOPPED);
        assertThat(trace.outcome.error()).contains("time limit");
        assertThat(trace.lines()).contains("finished b stopped");
    }

    @Test
    void stopping_a_run_interrupts_its_nodes_and_ends_it_stopped() throws Exception {
        Trace trace = new Trace();
        WorkflowRun run = trace.prepare(graph().node("b", "block", Map.of()).node("after", "echo", Map.of("value", 1))
                .edge("s", "b").edge("b", "after").build(), Map.of(), new TestNodes(), Limits.DEFAULTS, Map.of());
        CompletableFuture<WorkflowRun.Outcome> outcome = CompletableFuture.supplyAsync(run::execute);
        dev.weft.platform.engine.internal.run.Await.until(() -> trace.lines().contains("started b"));

        run.stop();

        assertThat(outcome.get(10, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.STOPPED);
        assertThat(trace.lines()).doesNotContain("started after").endsWith("run stopped");
    }

    @Test
    void no_more_nodes_run_at_once_than_the_parallel_limit() {
        // three branches of gates that need three at once cannot pass with two slots: the run times out
        Trace trace = Trace.run(graph()
                .node("a", "gate", Map.of("name", "g", "parties", 3))
                .node("b", "gate", Map.of("name", "g", "parties", 3))
                .node("c", "gate", Map.of("name", "g", "parties", 3))
                .edge("s", "a").edge("s", "b").edge("s", "c").build(), Map.of(), new TestNodes(),
                new Limits(500, Duration.ofMillis(500), 2, 100));

        assertThat(trace.outcome.status()).isNotEqualTo(RunStatus.SUCCEEDED);
    }
}
