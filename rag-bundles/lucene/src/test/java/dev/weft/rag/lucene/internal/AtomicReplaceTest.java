package dev.weft.rag.lucene.internal;

import static dev.weft.rag.lucene.internal.Fixtures.chunk;
import static dev.weft.rag.lucene.internal.Fixtures.fullText;
import static dev.weft.rag.lucene.internal.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spi.rag.IndexedChunk;
import dev.weft.spi.rag.KnowledgeIndex;
import dev.weft.spi.rag.ScoredChunk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing a document while others search it, and many writers sharing commits. */
class AtomicReplaceTest {

    @TempDir
    Path root;

    @Test
    void aConcurrentReaderSeesTheOldChunksOrTheNewNeverAMix() throws Exception {
        LuceneIndexProvider provider = new LuceneIndexProvider(root, true);
        try (KnowledgeIndex index = provider.open(spec("atomic", 0, null))) {
            index.replaceDocument("doc", version(0));
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger searches = new AtomicInteger();
            Set<Integer> versionsSeen = ConcurrentHashMap.newKeySet();
            ExecutorService readers = Executors.newFixedThreadPool(3);
            List<Future<?>> checks = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                checks.add(readers.submit(() -> {
                    while (writing.get()) {
                        List<ScoredChunk> hits = index.search(fullText("alpha", 100));
                        // each version has its own number of chunks: 3 + version % 5
                        assertThat(hits).isNotEmpty();
                        Set<Object> versions = ConcurrentHashMap.newKeySet();
                        hits.forEach(hit -> versions.add(hit.metadata().get("version")));
                        assertThat(versions).as("versions in one search").hasSize(1);
                        int version = ((Number) versions.iterator().next()).intValue();
                        assertThat(hits).hasSize(3 + version % 5);
                        versionsSeen.add(version);
                        searches.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int version = 1; version <= 60; version++) {
                index.replaceDocument("doc", version(version));
                // durable and visible when it returns
                assertThat(index.search(fullText("alpha", 100)).get(0).metadata().get("version")).isEqualTo(version);
            }
            writing.set(false);
            for (Future<?> check : checks) {
                check.get(30, TimeUnit.SECONDS);
            }
            readers.shutdown();
            assertThat(searches.get()).isGreaterThan(10);
            assertThat(versionsSeen.size()).isGreaterThan(1);
        } finally {
            provider.deactivate();
        }
    }

    @Test
    void concurrentWritersShareCommits() throws Exception {
        LuceneIndexProvider provider = new LuceneIndexProvider(root, true);
        try (IndexHandle index = (IndexHandle) provider.open(spec("group", 0, null))) {
            long before = index.index().commits();
            int threads = 8;
            int perThread = 25;
            CountDownLatch start = new CountDownLatch(1);
            try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(writers.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            index.replaceDocument("t" + thread + "-" + i, List.of(chunk("t" + thread + "-" + i + "#0", 0,
                                    "alpha document " + i, null, Map.of())));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : done) {
                    future.get(60, TimeUnit.SECONDS);
                }
            }
            long commits = index.index().commits() - before;
            assertThat(index.index().chunkCount()).isEqualTo(threads * perThread);
            // every write returned durable, yet far fewer commits than writes ran
            assertThat(commits).isLessThan(threads * perThread);
            assertThat(commits).isGreaterThanOrEqualTo(perThread);
        } finally {
            provider.deactivate();
        }
    }

    private static List<IndexedChunk> version(int version) {
        List<IndexedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 3 + version % 5; i++) {
            chunks.add(chunk("doc#" + i, i, "alpha chunk " + i + " of version " + version, null,
                    Map.of("version", version)));
        }
        return chunks;
    }
}
