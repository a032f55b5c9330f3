package dev.weft.web.internal.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.api.workflow.RunEvent;
import dev.weft.web.internal.apps.Citations;
import dev.weft.web.internal.apps.DifyEvents;
import dev.weft.web.internal.json.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.glassfish.jersey.server.ChunkedOutput;

/**
 * One run's events to one service API client as Dify's SSE ({@code data: {json}} blocks, and
 * {@code event: ping} every ten seconds while nothing else is said). The run never waits for the
 * client: events queue, a virtual thread writes them, and a client that goes away stops the
 * stream, not the run.
 */
final class ServiceStream implements Consumer<RunEvent> {

    static final long PING_SECONDS = 10;
    private static final Object END = new Object();

    private final ChunkedOutput<String> output = new ChunkedOutput<>(String.class);
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final String workflowId;
    private volatile DifyEvents.Chat chat;
    private volatile Runnable onEnd = () -> { };
    private volatile boolean closed;
    private boolean streamedText;

    private final Citations citations;

    ServiceStream(String workflowId) {
        this(workflowId, Citations.none());
    }

    ServiceStream(String workflowId, Citations citations) {
        this.workflowId = workflowId;
        this.citations = citations;
    }

    ChunkedOutput<String> output() {
        return output;
    }

    /** Whether the stream has ended: the run's end was sent, or the client went away. */
    boolean closed() {
        return closed;
    }

    /** Starts sending (events that came before wait): the run's chat ids are known now. */
    void begin(DifyEvents.Chat chatOrNull, Runnable whenDone) {
        this.chat = chatOrNull;
        this.onEnd = whenDone;
        Thread.ofVirtual().name("weft-service-stream").start(this::drain);
    }

    @Override
    public void accept(RunEvent event) {
        if (closed) {
            return;
        }
        queue.add(event);
        if (event instanceof RunEvent.RunFinished) {
            queue.add(END);
        }
    }

    private void drain() {
        try {
            java.util.List<Object> ready = new java.util.ArrayList<>();
            boolean ended = false;
            while (!closed && !ended) {
                Object next = queue.poll(PING_SECONDS, TimeUnit.SECONDS);
                if (next == null) {
                    output.write("event: ping\n\n");
                    continue;
                }
                // what else is already waiting goes out in the same write: one flush for many events
                ready.clear();
                ready.add(next);
                queue.drainTo(ready);
                StringBuilder chunk = new StringBuilder();
                for (Object item : ready) {
                    if (item == END) {
                        ended = true;
                        break;
                    }
                    RunEvent event = (RunEvent) item;
                    citations.accept(event);
                    if (event instanceof RunEvent.TextChunk) {
                        streamedText = true;
                    } else if (event instanceof RunEvent.RunFinished finished && chat != null && !streamedText
                            && finished.outputs() != null && finished.outputs().get("answer") instanceof String answer
                            && !answer.isEmpty() && isSuccess(finished)) {
                        // the answer did not stream (a completion app's end node): it comes whole, before the end
                        append(chunk, DifyEvents.of(new RunEvent.TextChunk(event.runId(), finished.at(), "llm", "text",
                                answer), workflowId, chat));
                    }
                    append(chunk, DifyEvents.of(event, workflowId, chat, citations.list()));
                }
                if (!chunk.isEmpty()) {
                    output.write(chunk.toString());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // the client went away; the run goes on and is recorded
        } finally {
            closed = true;
            try {
                output.close();
            } catch (IOException ignored) {
                // already closed
            }
            onEnd.run();
        }
    }

    private static boolean isSuccess(RunEvent.RunFinished finished) {
        return finished.status() == dev.weft.api.workflow.RunStatus.SUCCEEDED
                || finished.status() == dev.weft.api.workflow.RunStatus.PARTIAL_SUCCEEDED;
    }

    private static void append(StringBuilder chunk, List<Map<String, Object>> events) throws IOException {
        for (Map<String, Object> event : events) {
            if (event == null) {
                continue;
            }
            try {
                chunk.append("data: ").append(Json.mapper().writeValueAsString(event)).append("\n\n");
            } catch (JsonProcessingException e) {
                throw new IOException(e);
            }
        }
    }
}
