package dev.weft.platform.engine.internal.run;

import dev.weft.api.workflow.RunEvent;
import dev.weft.spi.node.NodeType;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What every part of one run shares: the spec, the node types, the limits and counters, the
 * threads, and the event sink, which gets events one at a time in the order they happen.
 */
final class RunContext implements AutoCloseable {

    final RunSpec spec;
    final Function<String, Optional<NodeType>> nodeTypes;
    final Limits limits;
    final Clock clock;
    final Sleeper sleeper;
    final ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("weft-run-", 0).factory());
    final Semaphore parallel;
    final AtomicInteger steps = new AtomicInteger();
    final AtomicInteger index = new AtomicInteger();
    final AtomicInteger exceptions = new AtomicInteger();
    final AtomicLong tokens = new AtomicLong();
    final long deadline;
    private final Consumer<RunEvent> sink;
    /** The chatflow's answers, streamed ahead of their nodes. */
    final AnswerStreams answers;
    private final Map<String, Object> outputs = new LinkedHashMap<>();
    private final StringBuilder answer = new StringBuilder();
    private volatile RunFailure stop;
    /** The conversation's earlier turns, oldest first (chatflows). */
    volatile java.util.List<dev.weft.spi.node.ConversationTurn> history = java.util.List.of();

    RunContext(RunSpec spec, Function<String, Optional<NodeType>> nodeTypes, Limits limits, Clock clock,
            Sleeper sleeper, Consumer<RunEvent> sink) {
        this.spec = spec;
        this.nodeTypes = nodeTypes;
        this.limits = limits;
        this.clock = clock;
        this.sleeper = sleeper;
        this.sink = sink;
        this.parallel = new Semaphore(limits.maxParallel());
        this.deadline = System.nanoTime() + limits.maxTime().toNanos();
        this.answers = new AnswerStreams(this);
    }

    Instant now() {
        return clock.instant();
    }

    /** Sends an event; events reach the sink one at a time, in the order they were sent. */
    synchronized void emit(RunEvent event) {
        sink.accept(event);
    }

    /** Asks the run to stop: no node starts after this, and running ones are interrupted. */
    void stop(RunFailure reason) {
        if (stop == null) {
            stop = reason;
        }
    }

    RunFailure stopReason() {
        return stop;
    }

    boolean stopping() {
        return stop != null;
    }

    long nanosLeft() {
        return deadline - System.nanoTime();
    }

    /** Outputs of end nodes, merged: a later end node wins on a name both write. */
    synchronized void addOutputs(Map<String, Object> more) {
        outputs.putAll(more);
    }

    synchronized Map<String, Object> outputs() {
        return new LinkedHashMap<>(outputs);
    }

    /** The text of answer nodes, in the order they finished. */
    synchronized void addAnswer(String text) {
        answer.append(text);
    }

    synchronized String answer() {
        return answer.toString();
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    /** Why a run or a part of it stopped early. */
    record RunFailure(String code, String message) {
    }
}
