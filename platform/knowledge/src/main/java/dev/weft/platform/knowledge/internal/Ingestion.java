package dev.weft.platform.knowledge.internal;

import dev.weft.api.core.WeftException;
import dev.weft.platform.store.KnowledgeRepository.Document;
import dev.weft.platform.store.KnowledgeRepository.KnowledgeBase;
import dev.weft.platform.store.KnowledgeRepository.Segment;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.rag.Chunk;
import dev.weft.spi.rag.DocumentSource;
import dev.weft.spi.rag.ExtractedDocument;
import dev.weft.spi.rag.ExtractionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests documents in the background: the queue is the store (documents whose status is
 * {@code queued}), so it survives a restart. Each document goes extracting → chunking → embedding
 * → indexed, or failed with a reason. The index is written first and the chunks and status in the
 * store after, in one transaction: a crash in between leaves the document "embedding", which the
 * next start takes up again (the index write replaces the document's chunks, so doing it twice is
 * harmless). A document that was started too often is marked failed instead of looping.
 */
final class Ingestion {

    private static final Logger LOG = LoggerFactory.getLogger(Ingestion.class);
    static final List<String> IN_PROGRESS = List.of("extracting", "chunking", "embedding");

    private final KnowledgeService service;
    private final int workers;
    private final int maxAttempts;
    private final Semaphore work = new Semaphore(0);
    /** Documents taken from the queue (moved to extracting) and waiting for a worker. */
    private final java.util.concurrent.ArrayBlockingQueue<Document> handed;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;
    /** Time spent in each step, summed over documents (for the benchmark's report). */
    final java.util.concurrent.atomic.LongAdder extractNanos = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder chunkNanos = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder embedNanos = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder indexNanos = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder storeNanos = new java.util.concurrent.atomic.LongAdder();

    Ingestion(KnowledgeService service, int workers, int maxAttempts) {
        this.service = service;
        this.workers = workers;
        this.maxAttempts = maxAttempts;
        this.handed = new java.util.concurrent.ArrayBlockingQueue<>(workers);
    }

    void start() {
        recover();
        threads.add(Thread.ofVirtual().name("weft-ingestion-feeder").start(this::feed));
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofVirtual().name("weft-ingestion-" + i).start(this::work));
        }
    }

    void stop() {
        stopped = true;
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Something was queued. */
    void wake() {
        work.release();
    }

    /** Documents a stop interrupted are queued again, or failed when they were started too often. */
    private void recover() {
        List<Document> interrupted = service.store.documentsIn(IN_PROGRESS, 10_000);
        for (Document document : interrupted) {
            if (document.attempts() >= maxAttempts) {
                service.store.moveStatus(document.id(), IN_PROGRESS, "failed",
                        "ingestion was interrupted " + document.attempts() + " times; re-index to try again");
            } else {
                service.store.moveStatus(document.id(), IN_PROGRESS, "queued", null);
            }
        }
        if (!interrupted.isEmpty()) {
            LOG.warn("{} document(s) were being ingested when Weft last stopped; they are queued again or failed",
                    interrupted.size());
        }
    }

    /**
     * Takes queued documents from the store in order and hands them to the workers: one reader of
     * the queue, so that workers never race each other for the same document.
     */
    private void feed() {
        while (!stopped) {
            try {
                boolean took = false;
                if (handed.remainingCapacity() > 0) {
                    for (Document document : service.store.documentsIn(List.of("queued"), handed.remainingCapacity())) {
                        if (service.store.moveStatus(document.id(), List.of("queued"), "extracting", null)) {
                            handed.put(document);
                            took = true;
                        }
                    }
                }
                if (!took) {
                    work.tryAcquire(1, TimeUnit.SECONDS);
                    work.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                LOG.error("Reading the ingestion queue failed; trying again", e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void work() {
        while (!stopped) {
            Document document;
            try {
                document = handed.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                ingest(document);
            } finally {
                // room in the hand-over queue: the feeder may take more
                work.release();
            }
        }
    }

    /** One document, from its file to its chunks in the index. */
    void ingest(Document document) {
        String id = document.id();
        try {
            long t0 = System.nanoTime();
            KnowledgeBase base = service.requireBase(document.workspaceId(), document.knowledgeBaseId());
            String text = extract(document);
            move(id, "extracting", "chunking");
            long t1 = System.nanoTime();
            extractNanos.add(t1 - t0);
            List<Chunk> chunks = service.chunkerFor(base).chunk(text, KnowledgeService.object(base.processRuleJson()),
                    service.tokens());
            boolean hierarchical = base.docForm().equals("hierarchical_model");
            List<String> toEmbed = new ArrayList<>();
            long tokens = 0;
            for (Chunk chunk : chunks) {
                tokens += chunk.tokens();
                if (hierarchical) {
                    chunk.children().forEach(child -> toEmbed.add(child.content()));
                } else {
                    toEmbed.add(chunk.content());
                }
            }
            service.store.progress(id, chunks.size(), 0, tokens, text.length());
            move(id, "chunking", "embedding");
            long t2 = System.nanoTime();
            chunkNanos.add(t2 - t1);
            boolean economy = base.indexingTechnique().equals("economy");
            List<float[]> vectors = economy ? null
                    : service.batcher().embed(base.workspaceId(), base.embeddingProvider(), base.embeddingModel(), toEmbed);
            long t3 = System.nanoTime();
            embedNanos.add(t3 - t2);
            List<Segment> segments = new ArrayList<>();
            int next = 0;
            for (Chunk chunk : chunks) {
                String segmentId = UUID.randomUUID().toString();
                if (hierarchical) {
                    segments.add(new Segment(segmentId, id, base.id(), null, chunk.index(), chunk.content(), chunk.tokens(), true,
                            null, 0));
                    for (Chunk child : chunk.children()) {
                        segments.add(new Segment(UUID.randomUUID().toString(), id, base.id(), segmentId, child.index(),
                                child.content(), child.tokens(), true, vectors.get(next++), 0));
                    }
                } else {
                    segments.add(new Segment(segmentId, id, base.id(), null, chunk.index(), chunk.content(), chunk.tokens(), true,
                            economy ? null : vectors.get(next++), 0));
                }
            }
            if (stopped) {
                return;
            }
            Document current = service.store.document(document.workspaceId(), id).orElse(null);
            if (current == null) {
                return;
            }
            if (current.enabled()) {
                service.index(base).replaceDocument(id, service.indexedChunks(base, current, segments));
            } else {
                service.index(base).deleteDocument(id);
            }
            long t4 = System.nanoTime();
            indexNanos.add(t4 - t3);
            service.store.indexed(id, segments, tokens, text.length());
            storeNanos.add(System.nanoTime() - t4);
        } catch (ModelException e) {
            fail(id, "the embedding model failed: " + e.getMessage());
        } catch (WeftException e) {
            fail(id, e.getMessage());
        } catch (IOException e) {
            fail(id, "the document could not be read or indexed: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            fail(id, "the knowledge base's chunking settings are not valid: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Ingestion of document {} failed unexpectedly", id, e);
            fail(id, "ingestion failed: " + e);
        }
    }

    private String extract(Document document) throws IOException, ExtractionException {
        Path file = service.files().path(document.workspaceId(), document.fileKey());
        if (document.source().equals("text")) {
            return KnowledgeService.read(file);
        }
        long size = Files.size(file);
        ExtractedDocument extracted = service.extractorFor(document.mediaType()).extract(new DocumentSource(document.name(),
                document.mediaType(), size, () -> Files.newInputStream(file)));
        return extracted.text();
    }

    private void move(String id, String from, String to) {
        if (!service.store.moveStatus(id, List.of(from), to, null)) {
            throw new WeftException("document_changed", "the document was deleted or re-queued meanwhile");
        }
    }

    private void fail(String id, String reason) {
        if (stopped) {
            // a stop interrupted the work: the next start takes the document up again
            return;
        }
        Optional.ofNullable(reason).ifPresent(r -> LOG.info("Document {} failed: {}", id, r));
        service.store.moveStatus(id, IN_PROGRESS, "failed", reason == null ? "failed" : reason);
    }
}
