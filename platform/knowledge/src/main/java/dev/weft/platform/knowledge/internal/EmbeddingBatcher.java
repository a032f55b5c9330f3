package dev.weft.platform.knowledge.internal;

import dev.weft.api.model.ModelCall;
import dev.weft.spi.model.EmbeddingRequest;
import dev.weft.spi.model.EmbeddingResponse;
import dev.weft.spi.model.ModelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Embeds chunks of many documents together: ingestion workers hand in their chunks, and one thread
 * per embedding model sends them in batches as full as the queue allows, so that documents of one
 * or two chunks do not each pay for a call of their own.
 */
final class EmbeddingBatcher implements AutoCloseable {

    /** Embeds one batch. */
    @FunctionalInterface
    interface Embedder {
        EmbeddingResponse embed(ModelCall call, EmbeddingRequest request) throws ModelException;
    }

    private record Pending(String text, CompletableFuture<float[]> vector) {
    }

    private record Key(String workspaceId, String provider, String model) {
    }

    private final Embedder embedder;
    private final int batchSize;
    private final Map<Key, LinkedBlockingQueue<Pending>> queues = new ConcurrentHashMap<>();
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;
    /** Time spent in the model, and batches and texts sent (for the benchmark's report). */
    final java.util.concurrent.atomic.LongAdder busyNanos = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder batches = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder texts = new java.util.concurrent.atomic.LongAdder();

    EmbeddingBatcher(Embedder embedder, int batchSize) {
        this.embedder = embedder;
        this.batchSize = batchSize;
    }

    /** The vectors of these texts, in their order, embedded as documents. */
    List<float[]> embed(String workspaceId, String provider, String model, List<String> texts) throws ModelException {
        if (texts.isEmpty()) {
            return List.of();
        }
        Key key = new Key(workspaceId, provider == null ? "" : provider, model == null ? "" : model);
        LinkedBlockingQueue<Pending> queue = queues.computeIfAbsent(key, this::start);
        List<CompletableFuture<float[]>> futures = new ArrayList<>();
        for (String text : texts) {
            Pending pending = new Pending(text, new CompletableFuture<>());
            futures.add(pending.vector());
            queue.add(pending);
        }
        List<float[]> vectors = new ArrayList<>();
        try {
            for (CompletableFuture<float[]> future : futures) {
                vectors.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.weft.spi.model.RetriableModelException.Unavailable("interrupted while embedding", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ModelException failure) {
                throw failure;
            }
            throw new dev.weft.spi.model.RetriableModelException.Unavailable("embedding failed: " + e.getCause(), e.getCause());
        }
        return vectors;
    }

    private LinkedBlockingQueue<Pending> start(Key key) {
        LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
        // a platform thread: a model in the process runs native code on the calling thread, which
        // would hold a virtual thread's carrier the whole time
        threads.add(Thread.ofPlatform().daemon().name("weft-embedding-batcher").start(() -> drain(key, queue)));
        return queue;
    }

    private void drain(Key key, LinkedBlockingQueue<Pending> queue) {
        ModelCall call = new ModelCall(key.workspaceId(), key.provider(), key.model(), null, "knowledge-ingestion");
        while (!closed) {
            List<Pending> batch = new ArrayList<>();
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                // a moment for more chunks to arrive, when the batch is not full
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3);
                while (batch.size() < batchSize && System.nanoTime() < until) {
                    Pending next = queue.poll(1, TimeUnit.MILLISECONDS);
                    if (next != null) {
                        batch.add(next);
                        queue.drainTo(batch, batchSize - batch.size());
                    }
                }
            } catch (InterruptedException e) {
                batch.forEach(p -> p.vector().completeExceptionally(e));
                return;
            }
            try {
                long started = System.nanoTime();
                EmbeddingResponse response = embedder.embed(call, new EmbeddingRequest(
                        batch.stream().map(Pending::text).toList(), EmbeddingRequest.Purpose.DOCUMENT));
                busyNanos.add(System.nanoTime() - started);
                batches.increment();
                texts.add(batch.size());
                if (response.vectors().size() != batch.size()) {
                    throw new dev.weft.spi.model.RetriableModelException.Unavailable("the embedding model returned "
                            + response.vectors().size() + " vectors for " + batch.size() + " texts", null);
                }
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).vector().complete(response.vectors().get(i));
                }
            } catch (RuntimeException e) {
                batch.forEach(p -> p.vector().completeExceptionally(e));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
    }
}
