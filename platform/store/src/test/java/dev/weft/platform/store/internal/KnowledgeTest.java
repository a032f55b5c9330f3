package dev.weft.platform.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.platform.store.KnowledgeRepository;
import dev.weft.platform.store.KnowledgeRepository.Document;
import dev.weft.platform.store.KnowledgeRepository.KnowledgeBase;
import dev.weft.platform.store.KnowledgeRepository.Segment;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeTest {

    @TempDir
    Path data;

    private Database database;
    private KnowledgeRepository knowledge;
    private String workspace;

    @BeforeEach
    void open() {
        database = Database.open("", data, 2, getClass().getClassLoader());
        knowledge = new JdbcKnowledgeRepository(new Jdbc(database.dataSource()));
        workspace = new JdbcWorkspaceRepository(database.dataSource()).defaultWorkspace().id();
    }

    @AfterEach
    void close() {
        database.close();
    }

    private KnowledgeBase base(String name) {
        return knowledge.create(new KnowledgeBase(null, workspace, name, "", "high_quality", "local", "bge-small-en-v1.5", 384,
                "auto", "text_model", "{}", "{}", "[]", null, null));
    }

    private Document document(KnowledgeBase base, String name) {
        return knowledge.add(new Document(null, base.id(), workspace, 0, name, "text", "key-" + name, "text/plain", 10,
                null, true, null, 0, 0, 0, 0, 0, "{}", "batch-1", null, null, null, null));
    }

    @Test
    void documentsQueueInOrderAndOneWorkerTakesEach() {
        KnowledgeBase base = base("Manuals");
        Document first = document(base, "a.txt");
        Document second = document(base, "b.txt");
        assertThat(first.position()).isZero();
        assertThat(second.position()).isEqualTo(1);
        assertThat(first.status()).isEqualTo("queued");
        assertThat(knowledge.documentsIn(List.of("queued"), 10)).extracting(Document::id).containsExactly(first.id(), second.id());

        assertThat(knowledge.moveStatus(first.id(), List.of("queued"), "extracting", null)).isTrue();
        assertThat(knowledge.moveStatus(first.id(), List.of("queued"), "extracting", null)).as("taken once").isFalse();
        Document started = knowledge.document(workspace, first.id()).orElseThrow();
        assertThat(started.attempts()).isEqualTo(1);
        assertThat(started.startedAt()).isNotNull();
        assertThat(knowledge.documents(workspace, base.id(), "B.TX", 0, 10)).extracting(Document::name).containsExactly("b.txt");
    }

    @Test
    void indexingReplacesEveryChunkAtOnceAndKeepsVectors() {
        KnowledgeBase base = base("Chunks");
        Document doc = document(base, "c.txt");
        String parent = UUID.randomUUID().toString();
        knowledge.indexed(doc.id(), List.of(
                new Segment(parent, doc.id(), base.id(), null, 0, "parent text", 3, true, null, 0),
                new Segment(UUID.randomUUID().toString(), doc.id(), base.id(), parent, 0, "child", 1, true, new float[] {0.5f, -1f}, 0)),
                4, 11);
        Document indexed = knowledge.document(workspace, doc.id()).orElseThrow();
        assertThat(indexed.status()).isEqualTo("indexed");
        assertThat(indexed.chunks()).isEqualTo(1);
        List<Segment> segments = knowledge.segments(workspace, doc.id());
        assertThat(segments).extracting(Segment::content).containsExactly("parent text", "child");
        assertThat(segments.get(1).vector()).containsExactly(0.5f, -1f);

        knowledge.indexed(doc.id(), List.of(new Segment(UUID.randomUUID().toString(), doc.id(), base.id(), null, 0, "new", 1, true,
                null, 0)), 1, 3);
        assertThat(knowledge.segments(workspace, doc.id())).extracting(Segment::content).containsExactly("new");
        assertThat(knowledge.counts(workspace, base.id())).isEqualTo(new KnowledgeRepository.Counts(1, 1, 3));
    }

    @Test
    void anotherWorkspacesIdReadsAsUnknownAndDeletingABaseTakesItsDocuments() {
        KnowledgeBase base = base("Scoped");
        Document doc = document(base, "d.txt");
        String other = UUID.randomUUID().toString();
        assertThat(knowledge.base(other, base.id())).isEmpty();
        assertThat(knowledge.document(other, doc.id())).isEmpty();
        assertThat(knowledge.deleteDocument(other, doc.id())).isFalse();
        assertThat(knowledge.delete(workspace, base.id())).isTrue();
        assertThat(knowledge.document(workspace, doc.id())).isEmpty();
        assertThat(knowledge.base(workspace, "not-a-uuid")).isEmpty();
    }
}
