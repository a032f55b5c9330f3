package dev.weft.platform.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.workflow.NodeStatus;
import dev.weft.api.workflow.RunEvent;
import dev.weft.api.workflow.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunWatchersTest {

    private static final Instant AT = Instant.parse("2026-11-25T00:00:00Z");

    private static RunEvent.NodeStarted started(String execution) {
        return new RunEvent.NodeStarted("run", AT, execution, "node-" + execution, "llm", "LLM");
    }

    private static RunEvent.NodeFinished finished(String execution) {
        return new RunEvent.NodeFinished("run", AT, execution, "node-" + execution, NodeStatus.SUCCEEDED, Map.of(),
                Map.of(), null, Duration.ZERO);
    }

    private static RunEvent.RunFinished end() {
        return new RunEvent.RunFinished("run", AT, RunStatus.SUCCEEDED, Map.of(), null, Duration.ZERO, 2, 0, 0);
    }

    @Test
    void a_watcher_gets_the_events_from_when_it_came_up_to_the_end_and_none_can_come_after() throws Exception {
        RunWatchers watchers = new RunWatchers();
        watchers.deliver(started("a"));
        List<RunEvent> seen = new ArrayList<>();
        Optional<AutoCloseable> watching = watchers.add(seen::add);
        assertThat(watching).isPresent();

        watchers.deliver(finished("a"));
        watchers.deliver(started("b"));
        assertThat(watchers.inProgress()).extracting(RunEvent.NodeStarted::executionId).containsExactly("b");
        watchers.deliver(end());

        assertThat(seen).hasSize(3).last().isInstanceOf(RunEvent.RunFinished.class);
        assertThat(watchers.inProgress()).isEmpty();
        assertThat(watchers.add(e -> { })).as("the run has ended").isEmpty();
    }

    @Test
    void a_closed_watcher_gets_nothing_more_and_a_failing_one_does_not_stop_the_others() throws Exception {
        RunWatchers watchers = new RunWatchers();
        List<RunEvent> kept = new ArrayList<>();
        List<RunEvent> left = new ArrayList<>();
        watchers.add(e -> {
            throw new IllegalStateException("broken watcher");
        });
        watchers.add(kept::add);
        AutoCloseable leaving = watchers.add(left::add).orElseThrow();

        watchers.deliver(started("a"));
        leaving.close();
        watchers.deliver(finished("a"));

        assertThat(kept).hasSize(2);
        assertThat(left).hasSize(1);
    }
}
