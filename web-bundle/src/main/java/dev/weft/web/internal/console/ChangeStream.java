package dev.weft.web.internal.console;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Streams "something changed" notifications to SSE clients: a {@code ready} event on connect, a
 * named event on every change, and a comment every ten seconds so that proxies keep the
 * connection open and closed clients are noticed.
 *
 * <p>Each client has its own small queue and its own sender thread, so the thread that reports a
 * change never waits on a network write; a client that falls {@link #QUEUE_SIZE} events behind or
 * takes longer than {@link #SEND_TIMEOUT_SECONDS} to accept one is disconnected.
 */
final class ChangeStream implements AutoCloseable {

    static final long PING_SECONDS = 10;
    static final int QUEUE_SIZE = 32;
    static final long SEND_TIMEOUT_SECONDS = 30;

    private final ScheduledExecutorService pinger =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("weft-sse-ping").factory());
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();

    /**
     * Starts streaming to a client.
     *
     * @param subscribe registers a listener for changes and returns the handle that removes it
     * @param current reads the current change number, after subscribing
     * @param eventName the name of change events
     * @param data the JSON text of an event, given the change's number
     */
    void open(SseEventSink sink, Sse sse, Function<LongConsumer, AutoCloseable> subscribe,
            java.util.function.LongSupplier current, String eventName, Function<Long, String> data) {
        Client client = new Client(sink);
        clients.add(client);
        client.subscription = subscribe.apply(change -> client.offer(event(sse, eventName, data.apply(change))));
        // subscribed first: a change from now on is either in this number or in an event after it
        client.offer(event(sse, "ready", data.apply(current.getAsLong())));
        client.ping = pinger.scheduleAtFixedRate(() -> client.offer(sse.newEventBuilder().comment("ping").build()),
                PING_SECONDS, PING_SECONDS, TimeUnit.SECONDS);
        client.sender = Thread.ofVirtual().name("weft-sse-send").start(client::drain);
        if (client.closed) {
            // it went away while we set it up: release what was set up after
            client.close();
        }
    }

    private static OutboundSseEvent event(Sse sse, String name, String json) {
        return sse.newEventBuilder().name(name).mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, json).build();
    }

    /** Disconnects every client and stops the pings. */
    @Override
    public void close() {
        pinger.shutdownNow();
        clients.forEach(Client::close);
    }

    /** One connected client. */
    private final class Client {
        private final SseEventSink sink;
        private final BlockingQueue<OutboundSseEvent> queue = new ArrayBlockingQueue<>(QUEUE_SIZE);
        private volatile AutoCloseable subscription;
        private volatile ScheduledFuture<?> ping;
        private volatile Thread sender;
        private volatile boolean closed;

        Client(SseEventSink sink) {
            this.sink = sink;
        }

        /** Queues an event without waiting; a client too far behind is disconnected. */
        void offer(OutboundSseEvent event) {
            if (!closed && !queue.offer(event)) {
                close();
            }
        }

        /** Sends queued events, one at a time, until the client goes away. */
        void drain() {
            try {
                while (!closed) {
                    OutboundSseEvent event = queue.take();
                    if (sink.isClosed()) {
                        break;
                    }
                    sink.send(event).toCompletableFuture().get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                // the client went away or stopped reading
            }
            close();
        }

        /** Releases everything the client holds; safe to call more than once. */
        void close() {
            closed = true;
            clients.remove(this);
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
            Thread thread = sender;
            if (thread != null && thread != Thread.currentThread()) {
                thread.interrupt();
            }
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // the connection is gone already
            }
        }
    }
}
