package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.core.WeftException;
import dev.weft.api.rag.KnowledgeRetrieval;
import dev.weft.api.rag.RetrievalQuery;
import dev.weft.api.rag.RetrievedChunk;
import dev.weft.platform.knowledge.KnowledgeAdministration;
import dev.weft.platform.knowledge.KnowledgeAdministration.NewKnowledgeBase;
import dev.weft.platform.store.KnowledgeRepository;
import dev.weft.platform.store.KnowledgeRepository.Document;
import dev.weft.platform.store.KnowledgeRepository.KnowledgeBase;
import dev.weft.platform.store.WorkspaceRepository;
import dev.weft.spi.rag.MetadataFilter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Knowledge bases in the distribution's own bundles: files of each kind ingested through the real
 * extractors, chunker, local embedding model and Lucene index; every search mode; metadata filters
 * scoped to the workspace; hostile files; and ingestion taken up again after a restart.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KnowledgeIT {

    private static final Duration INGESTION = Duration.ofSeconds(90);

    @Inject
    BundleContext context;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    KnowledgeRepository store;

    private String workspace;

    @Configuration
    public Option[] config() {
        return WeftOptions.platform();
    }

    @Before
    public void setUp() {
        workspace = workspaces.defaultWorkspace().id();
    }

    private <T> T service(Class<T> type) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            T service = tracker.waitForService(30_000);
            assertThat(service).as(type.getSimpleName()).isNotNull();
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private KnowledgeBase base(String name, Map<String, String> fields) {
        return service(KnowledgeAdministration.class).create(workspace, new NewKnowledgeBase(name + " " + UUID.randomUUID(), "",
                null, null, null, null, null, null, null, fields));
    }

    private Document awaitIndexed(Document document) {
        return Await.until(document.name() + " indexed", INGESTION, () -> {
            Document now = store.document(workspace, document.id()).orElseThrow();
            assertThat(now.status()).as(now.name() + ": " + now.error()).isNotEqualTo("failed");
            return now.status().equals("indexed") ? now : null;
        });
    }

    private static ByteArrayInputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private List<RetrievedChunk> search(KnowledgeBase base, String query, String method) {
        return service(KnowledgeAdministration.class).hitTest(workspace, base.id(), query,
                Map.of("search_method", method, "top_k", 3));
    }

    @Test
    public void files_of_each_kind_are_ingested_and_found_by_words_by_meaning_and_both() {
        KnowledgeAdministration knowledge = service(KnowledgeAdministration.class);
        KnowledgeBase base = base("Handbook", Map.of("team", "string", "year", "number"));
        Document leave = knowledge.addText(workspace, base.id(), "leave.txt",
                "Vacation policy: every employee gets twenty-five days of paid leave per year.", Map.of("team", "hr", "year", 2024));
        Document expenses = knowledge.addFile(workspace, base.id(), "expenses.md",
                bytes("# Expenses\n\nTravel costs are reimbursed within thirty days of the trip."), Map.of("team", "finance"));
        Document security = knowledge.addFile(workspace, base.id(), "security.html", bytes("<html><head><script>var secret ="
                + " 'never-indexed';</script></head><body><h1>Security</h1><p>Passwords are rotated every ninety days.</p></body></html>"),
                Map.of("team", "it"));
        Document people = knowledge.addFile(workspace, base.id(), "people.csv", bytes("name,role\nAda,engineer\nGrace,admiral\n"),
                Map.of());
        Document office = knowledge.addFile(workspace, base.id(), "faq.json",
                bytes("{\"faq\": [{\"q\": \"Where is the office?\", \"a\": \"The office is in Lyon, next to the river.\"}]}"), Map.of());
        Document chinese = knowledge.addText(workspace, base.id(), "假期.txt", "员工每年享有二十五天带薪年假。", Map.of());
        for (Document document : List.of(leave, expenses, security, people, office, chinese)) {
            awaitIndexed(document);
        }
        assertThat(store.segments(workspace, security.id())).extracting(KnowledgeRepository.Segment::content)
                .allSatisfy(text -> assertThat(text).doesNotContain("never-indexed")).anySatisfy(text -> assertThat(text)
                        .contains("ninety days"));

        assertThat(search(base, "paid leave", "full_text_search").get(0).documentId()).isEqualTo(leave.id());
        assertThat(search(base, "when do I get my money back after a business journey", "semantic_search").get(0).documentId())
                .isEqualTo(expenses.id());
        assertThat(search(base, "how often must passwords change", "hybrid_search").get(0).documentId()).isEqualTo(security.id());
        assertThat(search(base, "Grace", "full_text_search").get(0).documentId()).isEqualTo(people.id());
        assertThat(search(base, "Lyon office", "hybrid_search").get(0).documentId()).isEqualTo(office.id());
        assertThat(search(base, "带薪年假", "full_text_search").get(0).documentId()).isEqualTo(chinese.id());

        KnowledgeRetrieval retrieval = service(KnowledgeRetrieval.class);
        MetadataFilter finance = new MetadataFilter(MetadataFilter.Logic.AND,
                List.of(new MetadataFilter.Condition("team", MetadataFilter.Operator.IS, "finance")));
        List<RetrievedChunk> filtered = retrieval.retrieve(new RetrievalQuery(workspace, List.of(base.id()), "days", 5, null,
                RetrievalQuery.Merge.DEFAULT, null, null, 0.7, finance, null, null));
        assertThat(filtered).isNotEmpty().allSatisfy(chunk -> assertThat(chunk.documentId()).isEqualTo(expenses.id()));
        assertThat(filtered.get(0).knowledgeBaseName()).isEqualTo(base.name());
        assertThat(filtered.get(0).metadata()).containsEntry("team", "finance");

        MetadataFilter unknown = new MetadataFilter(MetadataFilter.Logic.AND,
                List.of(new MetadataFilter.Condition("secret_field", MetadataFilter.Operator.IS, "x")));
        assertThatThrownBy(() -> retrieval.retrieve(new RetrievalQuery(workspace, List.of(base.id()), "days", 5, null, null, null,
                null, 0.7, unknown, null, null))).isInstanceOfSatisfying(WeftException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_param"));
        String elsewhere = UUID.randomUUID().toString();
        assertThatThrownBy(() -> retrieval.retrieve(new RetrievalQuery(elsewhere, List.of(base.id()), "days", 5, null, null, null,
                null, 0.7, null, null, null))).isInstanceOfSatisfying(WeftException.class,
                        e -> assertThat(e.code()).isEqualTo("dataset_not_found"));

        // a disabled document leaves the search, and comes back when enabled
        knowledge.enable(workspace, leave.id(), false);
        assertThat(search(base, "paid leave", "full_text_search")).noneMatch(c -> c.documentId().equals(leave.id()));
        knowledge.enable(workspace, leave.id(), true);
        assertThat(search(base, "paid leave", "full_text_search").get(0).documentId()).isEqualTo(leave.id());
    }

    @Test
    public void hostile_files_are_refused_or_fail_fast_with_their_reason() throws Exception {
        KnowledgeAdministration knowledge = service(KnowledgeAdministration.class);
        KnowledgeBase base = base("Hostile", Map.of());
        assertThatThrownBy(() -> knowledge.addFile(workspace, base.id(), "report.pdf",
                bytes("<html><body><script>alert(1)</script></body></html>"), Map.of()))
                .isInstanceOfSatisfying(WeftException.class, e -> assertThat(e.code()).isEqualTo("unsupported_file_type"));

        // a DOCX whose document part inflates to 300 MB of zeros
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bomb)) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write(("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                    + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument"
                    + ".wordprocessingml.document.main+xml\"/></Types>").getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 300; i++) {
                zip.write(zeros);
            }
        }
        long started = System.nanoTime();
        Document document = knowledge.addFile(workspace, base.id(), "bomb.docx", new ByteArrayInputStream(bomb.toByteArray()),
                Map.of());
        Document failed = Await.until("the bomb failed", INGESTION, () -> {
            Document now = store.document(workspace, document.id()).orElseThrow();
            return now.status().equals("failed") ? now : null;
        });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(failed.error()).isNotBlank();
        assertThat(store.segments(workspace, document.id())).isEmpty();
    }

    @Test
    public void ingestion_interrupted_by_a_stop_is_taken_up_again_and_indexed_once() throws Exception {
        KnowledgeAdministration knowledge = service(KnowledgeAdministration.class);
        KnowledgeBase base = base("Restart", Map.of());
        Document document = awaitIndexed(knowledge.addText(workspace, base.id(), "ferry.txt",
                "The ferry to the island leaves every morning at seven.", Map.of()));
        Document tooOften = awaitIndexed(knowledge.addText(workspace, base.id(), "bus.txt", "The bus leaves at noon.", Map.of()));
        // as if Weft had died while embedding them: one started once, one already started three times
        assertThat(store.moveStatus(document.id(), List.of("indexed"), "embedding", null)).isTrue();
        for (int i = 0; i < 3; i++) {
            store.moveStatus(tooOften.id(), List.of("indexed", "extracting"), "extracting", null);
        }
        store.moveStatus(tooOften.id(), List.of("extracting"), "embedding", null);

        Bundle bundle = null;
        for (Bundle candidate : context.getBundles()) {
            if ("dev.weft.platform.knowledge".equals(candidate.getSymbolicName())) {
                bundle = candidate;
            }
        }
        assertThat(bundle).isNotNull();
        bundle.stop();
        bundle.start();

        Document resumed = awaitIndexed(document);
        assertThat(resumed.attempts()).isGreaterThan(document.attempts());
        Document failed = Await.until("the document started too often failed", INGESTION, () -> {
            Document now = store.document(workspace, tooOften.id()).orElseThrow();
            return now.status().equals("failed") ? now : null;
        });
        assertThat(failed.error()).contains("interrupted");
        List<RetrievedChunk> found = service(KnowledgeAdministration.class).hitTest(workspace, base.id(), "ferry island",
                Map.of("search_method", "full_text_search", "top_k", 10));
        assertThat(found).filteredOn(c -> c.documentId().equals(document.id())).hasSize(1);
    }

    @Test
    public void a_parent_child_base_searches_the_children_and_answers_with_their_parent() {
        KnowledgeAdministration knowledge = service(KnowledgeAdministration.class);
        KnowledgeBase base = knowledge.create(workspace, new NewKnowledgeBase("Parent-child " + UUID.randomUUID(), "", null, null,
                null, null, "hierarchical_model", null, null, Map.of()));
        String text = "Ferries\nThe ferry to the island leaves every morning at seven.\nTickets are sold on board.\n\n"
                + "Buses\nThe airport bus leaves every hour from the station.\nIt takes forty minutes.";
        Document document = awaitIndexed(knowledge.addText(workspace, base.id(), "transport.txt", text, Map.of()));
        List<KnowledgeRepository.Segment> segments = store.segments(workspace, document.id());
        assertThat(segments).filteredOn(s -> s.parentId() == null).hasSize(2);
        assertThat(segments).filteredOn(s -> s.parentId() != null).hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(child -> assertThat(child.vector()).isNotNull());

        List<RetrievedChunk> found = search(base, "airport bus", "hybrid_search");
        RetrievedChunk best = found.get(0);
        assertThat(best.content()).contains("Buses").contains("forty minutes");
        assertThat(best.children()).isNotEmpty().anySatisfy(child -> assertThat(child.content()).contains("airport bus"));
        assertThat(found).extracting(RetrievedChunk::segmentId).doesNotHaveDuplicates();
    }
}
