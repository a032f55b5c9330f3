package dev.weft.web.internal.apps;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.api.workflow.RunEvent;
import dev.weft.web.internal.json.Json;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Streams one run's events to one SSE client in Dify's wire format ({@code data: {json}}), with an
 * {@code event: ping} every ten seconds. The run never waits for the client: events queue up and
 * a sender thread writes them; a client that goes away stops the stream, not the run.
 */
public final class RunStream implements Consumer<RunEvent> {

    static final long PING_SECONDS = 10;

    private final SseEventSink sink;
    private final Sse sse;
    private final String workflowId;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final CountDownLatch begun = new CountDownLatch(1);
    private volatile DifyEvents.Chat chat;
    private volatile boolean abandoned;
    private volatile boolean closed;
    private boolean streamedText;

    private final Citations citations;

    public RunStream(SseEventSink sink, Sse sse, String workflowId) {
        this(sink, sse, workflowId, Citations.none());
    }

    /** A stream whose chat answers carry their citations when the app shows them. */
    public RunStream(SseEventSink sink, Sse sse, String workflowId, Citations citations) {
        this.citations = citations;
        this.sink = sink;
        this.sse = sse;
        this.workflowId = workflowId;
        Thread.ofVirtual().name("weft-run-stream").start(this::drain);
    }

    /**
     * Lets the stream send: events that arrived before are held until the run's handle is known,
     * since a chatflow's events carry its conversation and message ids.
     */
    public void begin(DifyEvents.Chat chatOrNull) {
        this.chat = chatOrNull;
        begun.countDown();
    }

    /** The run did not start: the stream sends nothing and leaves the response to the error. */
    public void abandon() {
        abandoned = true;
        begun.countDown();
    }

    @Override
    public void accept(RunEvent event) {
        if (closed) {
            return;
        }
        queue.add(event);
        if (event instanceof RunEvent.RunFinished) {
            queue.add(Boolean.TRUE);
        }
    }

    private void drain() {
        try {
            if (!begun.await(60, TimeUnit.SECONDS) || abandoned) {
                closed = true;
                return;
            }
            while (!closed) {
                Object next = queue.poll(PING_SECONDS, TimeUnit.SECONDS);
                if (next == null) {
                    next = sse.newEventBuilder().name("ping").comment("keep-alive").build();
                }
                if (next instanceof Boolean) {
                    break;
                }
                if (sink.isClosed()) {
                    break;
                }
                if (next instanceof RunEvent event) {
                    if (event instanceof RunEvent.TextChunk) {
                        streamedText = true;
                    } else if (event instanceof RunEvent.RunFinished finished && chat != null && !streamedText
                            && finished.outputs() != null && finished.outputs().get("answer") instanceof String answer
                            && !answer.isEmpty()) {
                        // the answer did not stream (a completion app's end node): it comes whole, before the end
                        send(DifyEvents.of(new RunEvent.TextChunk(event.runId(), finished.at(), "llm", "text", answer),
                                workflowId, chat));
                    }
                    citations.accept(event);
                    for (Map<String, Object> dify : DifyEvents.of(event, workflowId, chat, citations.list())) {
                        sink.send(sse.newEventBuilder().data(String.class, Json.mapper().writeValueAsString(dify)).build())
                                .toCompletableFuture().get(30, TimeUnit.SECONDS);
                    }
                } else {
                    sink.send((OutboundSseEvent) next).toCompletableFuture().get(30, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | JsonProcessingException | RuntimeException e) {
            // the client went away; the run goes on and is recorded
        } finally {
            closed = true;
            if (!abandoned) {
                try {
                    sink.close();
                } catch (RuntimeException ignored) {
                    // already closed
                }
            }
        }
    }

    private void send(java.util.List<Map<String, Object>> events)
            throws JsonProcessingException, InterruptedException, ExecutionException, TimeoutException {
        for (Map<String, Object> dify : events) {
            sink.send(sse.newEventBuilder().data(String.class, Json.mapper().writeValueAsString(dify)).build())
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
