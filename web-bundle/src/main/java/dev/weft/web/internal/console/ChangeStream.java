package dev.weft.web.internal.console;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Streams "something changed" notifications to SSE clients: a {@code ready} event on connect, a
 * named event on every change, and a comment every ten seconds so that proxies keep the
 * connection open and closed clients are noticed.
 */
final class ChangeStream implements AutoCloseable {

    static final long PING_SECONDS = 10;

    private final ScheduledExecutorService pinger =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("weft-sse-ping").factory());

    /**
     * Starts streaming to a client.
     *
     * @param subscribe registers a listener for changes and returns the handle that removes it
     * @param eventName the name of change events
     * @param data the JSON text of an event, given the change's number
     */
    void open(SseEventSink sink, Sse sse, Function<LongConsumer, AutoCloseable> subscribe, String eventName,
            Function<Long, String> data, long current) {
        Client client = new Client(sink);
        client.send(event(sse, "ready", data.apply(current)));
        client.subscription = subscribe.apply(change -> client.send(event(sse, eventName, data.apply(change))));
        client.ping = pinger.scheduleAtFixedRate(() -> client.send(sse.newEventBuilder().comment("ping").build()),
                PING_SECONDS, PING_SECONDS, TimeUnit.SECONDS);
        if (client.closed) {
            // the client went away while we subscribed
            client.close();
        }
    }

    private static OutboundSseEvent event(Sse sse, String name, String json) {
        return sse.newEventBuilder().name(name).mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, json).build();
    }

    @Override
    public void close() {
        pinger.shutdownNow();
    }

    /** One connected client; closed at the first failed send. */
    private static final class Client {
        private final SseEventSink sink;
        private volatile AutoCloseable subscription;
        private volatile ScheduledFuture<?> ping;
        private volatile boolean closed;

        Client(SseEventSink sink) {
            this.sink = sink;
        }

        synchronized void send(OutboundSseEvent event) {
            if (closed) {
                return;
            }
            if (sink.isClosed()) {
                close();
                return;
            }
            try {
                CompletionStage<?> sent = sink.send(event);
                sent.whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        close();
                    }
                });
            } catch (IllegalStateException | jakarta.ws.rs.ProcessingException e) {
                close();
            }
        }

        void close() {
            closed = true;
            ScheduledFuture<?> task = ping;
            if (task != null) {
                task.cancel(false);
            }
            AutoCloseable handle = subscription;
            if (handle != null) {
                try {
                    handle.close();
                } catch (Exception ignored) {
                    // the registry is gone already
                }
            }
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // the connection is gone already
            }
        }
    }
}
