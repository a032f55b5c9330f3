package dev.weft.rag.lucene.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.spi.rag.IndexSpec;
import dev.weft.spi.rag.IndexedChunk;
import dev.weft.spi.rag.KnowledgeIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Durable writes per second with and without group commit: W writer threads each replace documents
 * of 2 chunks (about 600 characters and a 384-dimension vector each) for a fixed time; every write
 * returns only when committed.
 *
 * <p>Not part of the normal test phase: run with
 * {@code mvn -o -f rag-bundles/lucene/pom.xml test -Dtest=GroupCommitBenchmark -Dweft.bench.commit=true}.
 */
class GroupCommitBenchmark {

    private static final int SECONDS = 6;
    private static final String WORDS = "retrieval augmented generation grounds answers in documents chunked "
            + "embedded indexed searched ranked filtered by metadata and scored by relevance";

    @Test
    void documentsPerSecond() throws Exception {
        assumeTrue(Boolean.getBoolean("weft.bench.commit"), "set -Dweft.bench.commit=true to run");
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        run(4, true, false); // warm-up: JIT, file system
        // the disk's fsync latency drifts with other work on the machine: alternate the modes, three rounds
        for (int round = 0; round < 3; round++) {
            for (int writers : new int[] {1, 16}) {
                for (boolean group : new boolean[] {false, true}) {
                    run(writers, group, true);
                }
            }
        }
    }

    private static void run(int writers, boolean group, boolean print) throws Exception {
        Path root = Files.createTempDirectory("commit-bench");
        LuceneIndexProvider provider = new LuceneIndexProvider(root, group);
        try (IndexHandle index = (IndexHandle) provider.open(new IndexSpec("bench", "commits", 384, Map.of()))) {
            AtomicInteger written = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            long deadline;
            try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
                List<Future<?>> done = new ArrayList<>();
                deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    done.add(pool.submit(() -> {
                        Random random = new Random(writer);
                        start.await();
                        for (int i = 0; System.nanoTime() < deadline; i++) {
                            index.replaceDocument("w" + writer + "-" + i, document("w" + writer + "-" + i, random));
                            written.incrementAndGet();
                        }
                        return null;
                    }));
                }
                long started = System.nanoTime();
                start.countDown();
                for (Future<?> future : done) {
                    future.get();
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                if (print) {
                    System.out.printf("writers=%2d %-22s %7.1f docs/s  (%d docs, %d commits)%n", writers,
                        group ? "group commit" : "commit per write", written.get() / seconds, written.get(),
                        index.index().commits());
                }
            }
        } finally {
            provider.deactivate();
            try (var files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<IndexedChunk> document(String id, Random random) {
        List<IndexedChunk> chunks = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            float[] vector = new float[384];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) random.nextGaussian();
            }
            String text = (WORDS + " " + random.nextInt(1000) + " ").repeat(4);
            chunks.add(new IndexedChunk(id + "#" + c, c, text, vector, Map.of("n", random.nextInt(100))));
        }
        return chunks;
    }
}
