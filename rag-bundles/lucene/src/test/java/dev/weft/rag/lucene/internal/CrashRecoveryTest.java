package dev.weft.rag.lucene.internal;

import static dev.weft.rag.lucene.internal.Fixtures.chunk;
import static dev.weft.rag.lucene.internal.Fixtures.fullText;
import static dev.weft.rag.lucene.internal.Fixtures.ids;
import static dev.weft.rag.lucene.internal.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spi.rag.KnowledgeIndex;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of writing: a second JVM writes ten documents through the index (each
 * durable when it returns), then writes more and deletes one through the raw writer without a
 * commit, flushes those to disk, and is killed with {@link Process#destroyForcibly()}. Reopening
 * must show exactly the ten committed documents.
 */
class CrashRecoveryTest {

    @TempDir
    Path root;

    @Test
    void reopeningAfterAKillSeesExactlyTheCommittedDocuments() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashRecoveryTest.class.getName(), root.toString())
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                if (line.equals("UNCOMMITTED ON DISK")) {
                    break;
                }
            }
            assertThat(output).as("the child's output").contains("COMMITTED 10", "UNCOMMITTED ON DISK");
            Path directory = root.resolve("ws1/crash");
            try (var files = Files.list(directory); FSDirectory lucene = FSDirectory.open(directory)) {
                Set<String> onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("_"))
                        .collect(Collectors.toSet());
                onDisk.removeAll(SegmentInfos.readLatestCommit(lucene).files(true));
                assertThat(onDisk).as("flushed segment files that no commit references").isNotEmpty();
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }

        LuceneIndexProvider provider = new LuceneIndexProvider(root, true);
        try (KnowledgeIndex index = provider.open(spec("crash", 0, null))) {
            assertThat(((IndexHandle) index).index().chunkCount()).isEqualTo(10);
            assertThat(new TreeSet<>(ids(index.search(fullText("committed", 100))))).hasSize(10).contains("d0#0");
            assertThat(index.search(fullText("uncommitted", 100))).isEmpty();
            // the lock died with the process: the index is writable again
            index.replaceDocument("after", List.of(chunk("after#0", 0, "written after the crash", null, Map.of())));
            assertThat(ids(index.search(fullText("crash", 10)))).containsExactly("after#0");
        } finally {
            provider.deactivate();
        }
    }

    /** The child: writes, then waits to be killed. */
    public static void main(String[] args) throws Exception {
        LuceneIndexProvider provider = new LuceneIndexProvider(Path.of(args[0]), true);
        KnowledgeIndex index = provider.open(spec("crash", 0, null));
        for (int i = 0; i < 10; i++) {
            index.replaceDocument("d" + i, List.of(chunk("d" + i + "#0", 0, "committed document " + i, null, Map.of())));
        }
        System.out.println("COMMITTED 10");
        IndexWriter writer = ((IndexHandle) index).index().writerForTests();
        for (int i = 0; i < 5; i++) {
            writer.updateDocuments(new Term(ChunkDocuments.DOCUMENT_ID, "u" + i), List.of(ChunkDocuments.toDocument(
                    "u" + i, chunk("u" + i + "#0", 0, "uncommitted document " + i, null, Map.of()), 0)));
        }
        writer.deleteDocuments(new Term(ChunkDocuments.DOCUMENT_ID, "d0"));
        writer.flush();
        System.out.println("UNCOMMITTED ON DISK");
        System.out.flush();
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        System.exit(1);
    }
}
