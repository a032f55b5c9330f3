package dev.weft.web.internal.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;
import dev.weft.api.rag.RetrievedChunk;
import dev.weft.platform.store.KnowledgeRepository;
import dev.weft.platform.store.KnowledgeRepository.Document;
import dev.weft.platform.store.KnowledgeRepository.KnowledgeBase;
import dev.weft.platform.store.KnowledgeRepository.Segment;
import dev.weft.platform.store.Workspace;
import dev.weft.platform.store.WorkspaceRepository;
import dev.weft.web.internal.errors.BodyLimitFilter;
import dev.weft.web.internal.errors.ErrorMapper;
import dev.weft.web.internal.errors.RequestBodyInterceptor;
import dev.weft.web.internal.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The knowledge routes through Jersey in memory, with the JSON provider, body interceptor, body
 * limit and error mapper the whiteboard registers, over a fake knowledge service.
 */
class KnowledgeResourceTest {

    private static final String WORKSPACE = "ws-1";
    private static final String BOUNDARY = "----weft-test-boundary";

    private final FakeKnowledge knowledge = new FakeKnowledge();
    private KnowledgeResource resource;
    private ApplicationHandler app;

    @BeforeEach
    void setUp() {
        resource = new KnowledgeResource();
        resource.repository = counts(new KnowledgeRepository.Counts(5, 3, 1234));
        resource.bindKnowledge(knowledge, Map.of("max_file_mb", 1));
        ResourceConfig config = new ResourceConfig();
        config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        config.property(ServerProperties.BV_FEATURE_DISABLE, true);
        config.register(new JacksonJsonProvider(Json.mapper()));
        config.register(new RequestBodyInterceptor());
        config.register(new ErrorMapper());
        config.register(new BodyLimitFilter(32L * 1024 * 1024));
        config.register(resource);
        // documents and chunks are another resource on the same root, over the same bound service
        config.register(new DocumentsResource(resource));
        // the caller the authentication filter would have established: a member of WORKSPACE
        config.register((jakarta.ws.rs.container.ContainerRequestFilter) request -> request.setSecurityContext(
                new jakarta.ws.rs.core.SecurityContext() {
                    private final dev.weft.web.internal.auth.Caller caller = new dev.weft.web.internal.auth.Caller(
                            dev.weft.web.internal.auth.Access.Kind.CONSOLE, WORKSPACE, "account-1",
                            dev.weft.platform.security.Role.OWNER, null, null, "session-1");

                    @Override
                    public java.security.Principal getUserPrincipal() {
                        return caller;
                    }

                    @Override
                    public boolean isUserInRole(String role) {
                        return true;
                    }

                    @Override
                    public boolean isSecure() {
                        return false;
                    }

                    @Override
                    public String getAuthenticationScheme() {
                        return "COOKIE";
                    }
                }));
        app = new ApplicationHandler(config);
    }

    // ------------------------------------------------------------------ knowledge bases

    @Test
    void should_create_a_dataset_from_difys_fields_and_weft_ones() {
        Answer answer = call("POST", "/console/api/datasets", """
                {"name": "Handbook", "description": "HR", "indexing_technique": "high_quality",
                 "embedding_model": "bge-small", "embedding_model_provider": "local", "doc_form": "text_model",
                 "retrieval_model": {"search_method": "semantic_search", "top_k": 5},
                 "language": "en", "metadata_fields": {"author": "string"}, "permission": "only_me"}""");

        assertThat(answer.status).isEqualTo(201);
        assertThat(knowledge.lastSpec.embeddingProvider()).isEqualTo("local");
        assertThat(knowledge.lastSpec.embeddingModel()).isEqualTo("bge-small");
        assertThat(knowledge.lastSpec.language()).isEqualTo("en");
        assertThat(knowledge.lastSpec.retrievalModel()).containsEntry("top_k", 5);
        assertThat(knowledge.lastSpec.metadataFields()).containsEntry("author", "string");
        JsonNode dataset = answer.json;
        assertThat(dataset.path("id").asText()).startsWith("kb-");
        assertThat(dataset.path("name").asText()).isEqualTo("Handbook");
        assertThat(dataset.path("permission").asText()).isEqualTo("only_me");
        assertThat(dataset.path("indexing_technique").asText()).isEqualTo("high_quality");
        assertThat(dataset.path("embedding_model").asText()).isEqualTo("bge-small");
        assertThat(dataset.path("embedding_model_provider").asText()).isEqualTo("local");
        assertThat(dataset.path("doc_form").asText()).isEqualTo("text_model");
        assertThat(dataset.path("retrieval_model_dict").path("search_method").asText()).isEqualTo("hybrid_search");
        assertThat(dataset.path("document_count").asInt()).isEqualTo(5);
        assertThat(dataset.path("word_count").asLong()).isEqualTo(1234);
        assertThat(dataset.path("created_at").asLong()).isEqualTo(FakeKnowledge.CREATED.getEpochSecond());
        assertThat(dataset.path("created_at").isIntegralNumber()).isTrue();
        assertThat(dataset.path("language").asText()).isEqualTo("en");
        assertThat(dataset.path("metadata_fields").path("author").asText()).isEqualTo("string");
        assertThat(dataset.path("doc_metadata").get(0).path("name").asText()).isEqualTo("author");
        assertThat(dataset.path("doc_metadata").get(0).path("type").asText()).isEqualTo("string");
    }

    @Test
    void should_answer_a_duplicate_name_with_409_and_a_missing_name_with_400() {
        knowledge.addBase(WORKSPACE, "Handbook", "{}");

        Answer duplicate = call("POST", "/console/api/datasets", "{\"name\": \"Handbook\"}");
        Answer nameless = call("POST", "/console/api/datasets", "{\"description\": \"x\"}");

        assertThat(duplicate.status).isEqualTo(409);
        assertThat(duplicate.json.path("code").asText()).isEqualTo("dataset_name_duplicate");
        assertThat(duplicate.contentType).startsWith("application/problem+json");
        assertThat(nameless.status).isEqualTo(400);
        assertThat(nameless.json.path("code").asText()).isEqualTo("invalid_param");
    }

    @Test
    void should_refuse_a_permission_other_than_only_me() {
        Answer answer = call("POST", "/console/api/datasets", "{\"name\": \"A\", \"permission\": \"all_team_members\"}");

        assertThat(answer.status).isEqualTo(400);
        assertThat(knowledge.bases).isEmpty();
    }

    @Test
    void should_list_datasets_by_page_in_difys_shape() {
        for (int i = 1; i <= 5; i++) {
            knowledge.addBase(WORKSPACE, "Base " + i, "{}");
        }
        knowledge.addBase("other-workspace", "Not mine", "{}");

        Answer first = call("GET", "/console/api/datasets?page=1&limit=2", null);
        Answer last = call("GET", "/console/api/datasets?page=3&limit=2", null);
        Answer keyword = call("GET", "/console/api/datasets?keyword=base%204", null);

        assertThat(first.status).isEqualTo(200);
        assertThat(names(first.json.path("data"))).containsExactly("Base 1", "Base 2");
        assertThat(first.json.path("total").asInt()).isEqualTo(5);
        assertThat(first.json.path("has_more").asBoolean()).isTrue();
        assertThat(first.json.path("page").asInt()).isEqualTo(1);
        assertThat(first.json.path("limit").asInt()).isEqualTo(2);
        assertThat(names(last.json.path("data"))).containsExactly("Base 5");
        assertThat(last.json.path("has_more").asBoolean()).isFalse();
        assertThat(names(keyword.json.path("data"))).containsExactly("Base 4");
    }

    @Test
    void should_refuse_a_page_that_is_not_a_positive_number_with_400() {
        assertThat(call("GET", "/console/api/datasets?page=zero", null).status).isEqualTo(400);
        assertThat(call("GET", "/console/api/datasets?limit=0", null).status).isEqualTo(400);
        assertThat(call("GET", "/console/api/datasets?limit=101", null).status).isEqualTo(400);
    }

    @Test
    void should_get_patch_and_delete_a_dataset() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{}");
        String path = "/console/api/datasets/" + base.id();

        Answer got = call("GET", path, null);
        Answer patched = call("PATCH", path, """
                {"name": "Manual", "indexing_technique": "high_quality", "retrieval_model": {"top_k": 7}}""");
        Answer deleted = call("DELETE", path, null);
        Answer gone = call("GET", path, null);

        assertThat(got.status).isEqualTo(200);
        assertThat(got.json.path("id").asText()).isEqualTo(base.id());
        assertThat(patched.status).isEqualTo(200);
        assertThat(patched.json.path("name").asText()).isEqualTo("Manual");
        assertThat(knowledge.lastSpec.retrievalModel()).containsEntry("top_k", 7);
        assertThat(deleted.status).isEqualTo(204);
        assertThat(gone.status).isEqualTo(404);
        assertThat(gone.json.path("code").asText()).isEqualTo("dataset_not_found");
    }

    @Test
    void should_refuse_to_change_what_a_dataset_is_fixed_to() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{}");

        Answer answer = call("PATCH", "/console/api/datasets/" + base.id(), "{\"indexing_technique\": \"economy\"}");

        assertThat(answer.status).isEqualTo(400);
        assertThat(answer.json.path("detail").asText()).contains("indexing_technique");
    }

    @Test
    void should_answer_404_for_a_dataset_of_another_workspace() {
        KnowledgeBase theirs = knowledge.addBase("other-workspace", "Theirs", "{}");

        assertThat(call("GET", "/console/api/datasets/" + theirs.id(), null).status).isEqualTo(404);
        assertThat(call("DELETE", "/console/api/datasets/" + theirs.id(), null).status).isEqualTo(404);
        assertThat(knowledge.bases).containsKey(theirs.id());
    }

    // ------------------------------------------------------------------ documents

    @Test
    void should_add_a_document_from_text_on_both_paths() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{\"author\":\"string\"}");

        Answer console = call("POST", "/console/api/datasets/" + base.id() + "/documents",
                "{\"name\": \"Leave\", \"text\": \"Ten days a year.\", \"metadata\": {\"author\": \"Ann\"}}");
        Answer dify = call("POST", "/console/api/datasets/" + base.id() + "/document/create-by-text",
                "{\"name\": \"Pay\", \"text\": \"Monthly.\", \"indexing_technique\": \"high_quality\"}");

        assertThat(console.status).isEqualTo(200);
        JsonNode document = console.json.path("document");
        assertThat(console.json.path("batch").asText()).isEqualTo("batch-7");
        assertThat(document.path("name").asText()).isEqualTo("Leave");
        assertThat(document.path("data_source_type").asText()).isEqualTo("text");
        assertThat(document.path("indexing_status").asText()).isEqualTo("queued");
        assertThat(document.path("display_status").asText()).isEqualTo("queuing");
        assertThat(document.path("enabled").asBoolean()).isTrue();
        assertThat(document.path("doc_metadata").get(0).path("name").asText()).isEqualTo("author");
        assertThat(document.path("doc_metadata").get(0).path("value").asText()).isEqualTo("Ann");
        assertThat(document.path("created_at").asLong()).isEqualTo(FakeKnowledge.CREATED.getEpochSecond());
        assertThat(new String(knowledge.uploads.get(document.path("id").asText()), StandardCharsets.UTF_8))
                .isEqualTo("Ten days a year.");
        assertThat(dify.status).isEqualTo(200);
        assertThat(dify.json.path("document").path("name").asText()).isEqualTo("Pay");
    }

    @Test
    void should_answer_text_documents_without_text_or_name_with_400() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{}");

        assertThat(call("POST", "/console/api/datasets/" + base.id() + "/documents", "{\"name\": \"x\"}").status)
                .isEqualTo(400);
        assertThat(call("POST", "/console/api/datasets/" + base.id() + "/documents", "{\"text\": \"x\"}").status)
                .isEqualTo(400);
        assertThat(call("POST", "/console/api/datasets/nope/documents", "{\"name\": \"x\", \"text\": \"y\"}").status)
                .isEqualTo(404);
    }

    @Test
    void should_list_documents_with_page_and_keyword() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{}");
        knowledge.addDocument(base, "leave.md", "indexed", true);
        knowledge.addDocument(base, "pay.md", "failed", true);
        knowledge.addDocument(base, "holidays.md", "indexed", false);

        Answer page = call("GET", "/console/api/datasets/" + base.id() + "/documents?page=1&limit=2", null);
        Answer found = call("GET", "/console/api/datasets/" + base.id() + "/documents?keyword=pay", null);

        assertThat(page.status).isEqualTo(200);
        assertThat(names(page.json.path("data"))).containsExactly("leave.md", "pay.md");
        assertThat(page.json.path("total").asInt()).isEqualTo(5); // as the store counts them
        assertThat(page.json.path("has_more").asBoolean()).isTrue();
        JsonNode failed = page.json.path("data").get(1);
        assertThat(failed.path("indexing_status").asText()).isEqualTo("failed");
        assertThat(failed.path("display_status").asText()).isEqualTo("error");
        assertThat(failed.path("error").asText()).isEqualTo("it broke");
        assertThat(page.json.path("data").get(0).path("display_status").asText()).isEqualTo("available");
        assertThat(page.json.path("data").get(0).path("segment_count").asInt()).isEqualTo(4);
        assertThat(page.json.path("data").get(0).path("completed_segments").asInt()).isEqualTo(2);
        assertThat(page.json.path("data").get(0).path("word_count").asInt()).isEqualTo(600);
        assertThat(page.json.path("data").get(0).path("tokens").asInt()).isEqualTo(120);
        assertThat(names(found.json.path("data"))).containsExactly("pay.md");
        assertThat(found.json.path("has_more").asBoolean()).isFalse();
    }

    @Test
    void should_get_delete_and_report_the_indexing_status_of_a_document() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{}");
        Document document = knowledge.addDocument(base, "leave.md", "embedding", true);
        String path = "/console/api/datasets/" + base.id() + "/documents/" + document.id();

        Answer got = call("GET", path, null);
        Answer status = call("GET", path + "/indexing-status", null);
        Answer deleted = call("DELETE", path, null);

        assertThat(got.json.path("id").asText()).isEqualTo(document.id());
        assertThat(got.json.path("display_status").asText()).isEqualTo("indexing");
        assertThat(status.status).isEqualTo(200);
        assertThat(status.json.path("indexing_status").asText()).isEqualTo("embedding");
        assertThat(status.json.path("display_status").asText()).isEqualTo("indexing");
        assertThat(status.json.path("completed_segments").asInt()).isEqualTo(2);
        assertThat(status.json.path("total_segments").asInt()).isEqualTo(4);
        assertThat(status.json.path("processing_started_at").asLong()).isEqualTo(FakeKnowledge.CREATED.getEpochSecond());
        assertThat(deleted.status).isEqualTo(204);
        assertThat(knowledge.documents).doesNotContainKey(document.id());
        assertThat(call("GET", path, null).status).isEqualTo(404);
    }

    @Test
    void should_answer_404_for_a_document_of_another_dataset() {
        KnowledgeBase mine = knowledge.addBase(WORKSPACE, "Mine", "{}");
        KnowledgeBase other = knowledge.addBase(WORKSPACE, "Other", "{}");
        Document document = knowledge.addDocument(other, "leave.md", "indexed", true);

        Answer answer = call("GET", "/console/api/datasets/" + mine.id() + "/documents/" + document.id(), null);
        Answer delete = call("DELETE", "/console/api/datasets/" + mine.id() + "/documents/" + document.id(), null);

        assertThat(answer.status).isEqualTo(404);
        assertThat(answer.json.path("code").asText()).isEqualTo("document_not_found");
        assertThat(delete.status).isEqualTo(404);
        assertThat(knowledge.documents).containsKey(document.id());
    }

    @Test
    void should_disable_and_enable_a_document() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{}");
        Document document = knowledge.addDocument(base, "leave.md", "indexed", true);
        String path = "/console/api/datasets/" + base.id() + "/documents/" + document.id() + "/status/";

        Answer disabled = call("PATCH", path + "disable", null);
        assertThat(disabled.status).isEqualTo(200);
        assertThat(disabled.json.path("result").asText()).isEqualTo("success");
        assertThat(disabled.json.path("document").path("enabled").asBoolean()).isFalse();
        assertThat(disabled.json.path("document").path("display_status").asText()).isEqualTo("disabled");

        Answer enabled = call("PATCH", path + "enable", null);
        assertThat(enabled.json.path("document").path("enabled").asBoolean()).isTrue();
        assertThat(call("PATCH", path + "archive", null).status).isEqualTo(400);
    }

    @Test
    void should_reindex_a_failed_document_and_refuse_one_being_indexed_with_409() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{}");
        Document failed = knowledge.addDocument(base, "a.md", "failed", true);
        Document busy = knowledge.addDocument(base, "b.md", "chunking", true);

        Answer again = call("POST", "/console/api/datasets/" + base.id() + "/documents/" + failed.id() + "/reindex", null);
        Answer refused = call("POST", "/console/api/datasets/" + base.id() + "/documents/" + busy.id() + "/reindex", null);

        assertThat(again.status).isEqualTo(200);
        assertThat(again.json.path("document").path("indexing_status").asText()).isEqualTo("queued");
        assertThat(refused.status).isEqualTo(409);
        assertThat(refused.json.path("code").asText()).isEqualTo("document_indexing");
    }

    @Test
    void should_replace_a_documents_metadata_from_a_map_or_difys_list() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{\"author\":\"string\",\"year\":\"number\"}");
        Document document = knowledge.addDocument(base, "leave.md", "indexed", true);
        String path = "/console/api/datasets/" + base.id() + "/documents/" + document.id() + "/metadata";

        Answer map = call("PUT", path, "{\"metadata\": {\"author\": \"Bo\", \"year\": 2024}}");
        Answer list = call("PUT", path, "{\"metadata_list\": [{\"name\": \"author\", \"value\": \"Cy\"}]}");
        Answer wrong = call("PUT", path, "{\"metadata\": {\"unknown\": 1}}");

        assertThat(map.status).isEqualTo(200);
        JsonNode items = map.json.path("doc_metadata");
        assertThat(items).hasSize(2);
        assertThat(items.get(1).path("name").asText()).isEqualTo("year");
        assertThat(items.get(1).path("type").asText()).isEqualTo("number");
        assertThat(items.get(1).path("value").asInt()).isEqualTo(2024);
        assertThat(list.json.path("doc_metadata").get(0).path("value").asText()).isEqualTo("Cy");
        assertThat(wrong.status).isEqualTo(400);
        assertThat(call("PUT", path, "{}").status).isEqualTo(400);
    }

    // ------------------------------------------------------------------ uploads

    @Test
    void should_stream_an_upload_whose_data_comes_first() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{\"author\":\"string\"}");
        byte[] body = multipart(
                part("data", null, "{\"indexing_technique\": \"high_quality\", \"metadata\": {\"author\": \"Ann\"}}"),
                part("file", "na\u00efve notes.txt", "line one\r\nline two\r\n--not the boundary\r\n"));

        Answer answer = upload(base.id(), body);

        assertThat(answer.status).isEqualTo(200);
        JsonNode document = answer.json.path("document");
        assertThat(document.path("name").asText()).isEqualTo("na\u00efve notes.txt");
        assertThat(document.path("data_source_type").asText()).isEqualTo("upload_file");
        assertThat(document.path("doc_metadata").get(0).path("value").asText()).isEqualTo("Ann");
        assertThat(answer.json.path("batch").asText()).isEqualTo("batch-8");
        assertThat(new String(knowledge.uploads.get(document.path("id").asText()), StandardCharsets.UTF_8))
                .isEqualTo("line one\r\nline two\r\n--not the boundary\r\n");
    }

    @Test
    void should_accept_an_upload_whose_file_comes_before_its_data() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{\"author\":\"string\"}");
        byte[] content = new byte[200_000];
        Arrays.fill(content, (byte) 'x');
        byte[] body = multipart(part("file", "big.txt", new String(content, StandardCharsets.ISO_8859_1)),
                part("data", null, "{\"metadata\": {\"author\": \"Ann\"}}"));

        Answer answer = upload(base.id(), body);

        assertThat(answer.status).isEqualTo(200);
        String id = answer.json.path("document").path("id").asText();
        assertThat(knowledge.uploads.get(id)).isEqualTo(content);
        assertThat(answer.json.path("document").path("doc_metadata").get(0).path("value").asText()).isEqualTo("Ann");
    }

    @Test
    void should_refuse_an_upload_with_two_files_and_keep_nothing() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{}");
        byte[] streamed = multipart(part("data", null, "{}"), part("file", "a.txt", "a"), part("file", "b.txt", "b"));
        byte[] spooled = multipart(part("file", "a.txt", "a"), part("other", "b.txt", "b"));

        Answer first = upload(base.id(), streamed);
        Answer second = upload(base.id(), spooled);

        assertThat(first.status).isEqualTo(400);
        assertThat(first.json.path("detail").asText()).contains("one file");
        assertThat(second.status).isEqualTo(400);
        assertThat(knowledge.documents).isEmpty();
    }

    @Test
    void should_refuse_an_upload_without_a_file_or_with_malformed_parts() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{}");

        Answer noFile = upload(base.id(), multipart(part("data", null, "{}")));
        Answer badData = upload(base.id(), multipart(part("data", null, "[1, 2]"), part("file", "a.txt", "a")));
        Answer unterminated = upload(base.id(), ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; "
                + "filename=\"a.txt\"\r\n\r\nabc").getBytes(StandardCharsets.UTF_8));
        Answer noBoundary = call("POST", "/console/api/datasets/" + base.id() + "/document/create-by-file",
                "multipart/form-data", "x".getBytes(StandardCharsets.UTF_8));

        assertThat(noFile.status).isEqualTo(400);
        assertThat(noFile.json.path("detail").asText()).contains("file");
        assertThat(badData.status).isEqualTo(400);
        assertThat(unterminated.status).isEqualTo(400);
        assertThat(noBoundary.status).isEqualTo(400);
        assertThat(knowledge.documents).isEmpty();
    }

    @Test
    void should_answer_a_file_too_large_with_413_and_an_unsupported_type_with_415() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{}");
        byte[] big = new byte[2 * 1024 * 1024 + 10]; // above 1 MB of file + 1 MB of framing
        Arrays.fill(big, (byte) 'y');

        Answer tooLarge = upload(base.id(), multipart(part("data", null, "{}"),
                part("file", "big.txt", new String(big, StandardCharsets.ISO_8859_1))));
        knowledge.maxFileBytes = 10;
        Answer serviceLimit = upload(base.id(), multipart(part("file", "a.txt", "more than ten bytes")));
        knowledge.maxFileBytes = Long.MAX_VALUE;
        Answer unsupported = upload(base.id(), multipart(part("file", "tool.exe", "MZ")));

        assertThat(tooLarge.status).isEqualTo(413);
        assertThat(tooLarge.json.path("code").asText()).isEqualTo("file_too_large");
        assertThat(serviceLimit.status).isEqualTo(413);
        assertThat(unsupported.status).isEqualTo(415);
        assertThat(unsupported.json.path("code").asText()).isEqualTo("unsupported_file_type");
    }

    @Test
    void should_answer_an_upload_that_is_not_multipart_with_415() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{}");

        Answer answer = call("POST", "/console/api/datasets/" + base.id() + "/document/create-by-file", "{}");

        assertThat(answer.status).isEqualTo(415);
    }

    // ------------------------------------------------------------------ chunks and hit testing

    @Test
    void should_list_chunks_with_their_children_by_page() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{}");
        Document document = knowledge.addDocument(base, "leave.md", "indexed", true);
        Segment parent = knowledge.addSegment(document, null, 0, "Leave is ten days.", true);
        knowledge.addSegment(document, null, 1, "Pay is monthly.", false);
        knowledge.addSegment(document, parent.id(), 0, "Leave", true);
        knowledge.addSegment(document, parent.id(), 1, "is ten days.", true);
        String path = "/console/api/datasets/" + base.id() + "/documents/" + document.id() + "/segments";

        Answer all = call("GET", path, null);
        Answer firstPage = call("GET", path + "?page=1&limit=1", null);
        Answer disabled = call("GET", path + "?enabled=false", null);
        Answer keyword = call("GET", path + "?keyword=monthly", null);

        assertThat(all.status).isEqualTo(200);
        assertThat(all.json.path("data")).hasSize(2);
        assertThat(all.json.path("total").asInt()).isEqualTo(2);
        assertThat(all.json.path("doc_form").asText()).isEqualTo("text_model");
        JsonNode first = all.json.path("data").get(0);
        assertThat(first.path("id").asText()).isEqualTo(parent.id());
        assertThat(first.path("content").asText()).isEqualTo("Leave is ten days.");
        assertThat(first.path("word_count").asInt()).isEqualTo("Leave is ten days.".length());
        assertThat(first.path("tokens").asInt()).isEqualTo(7);
        assertThat(first.path("hit_count").asInt()).isEqualTo(2);
        assertThat(first.path("enabled").asBoolean()).isTrue();
        assertThat(first.path("child_chunks")).hasSize(2);
        assertThat(first.path("child_chunks").get(1).path("content").asText()).isEqualTo("is ten days.");
        assertThat(firstPage.json.path("data")).hasSize(1);
        assertThat(firstPage.json.path("has_more").asBoolean()).isTrue();
        assertThat(disabled.json.path("data").get(0).path("content").asText()).isEqualTo("Pay is monthly.");
        assertThat(keyword.json.path("data")).hasSize(1);
    }

    @Test
    void should_edit_a_chunk_and_refuse_one_of_another_document() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{}");
        Document document = knowledge.addDocument(base, "leave.md", "indexed", true);
        Document other = knowledge.addDocument(base, "pay.md", "indexed", true);
        Segment segment = knowledge.addSegment(document, null, 0, "Leave is ten days.", true);
        Segment foreign = knowledge.addSegment(other, null, 0, "Pay is monthly.", true);
        String path = "/console/api/datasets/" + base.id() + "/documents/" + document.id() + "/segments/";

        Answer edited = call("PATCH", path + segment.id(), "{\"content\": \"Leave is twelve days.\"}");
        Answer disabled = call("PATCH", path + segment.id(), "{\"segment\": {\"enabled\": false}}");
        Answer refused = call("PATCH", path + foreign.id(), "{\"enabled\": false}");
        Answer empty = call("PATCH", path + segment.id(), "{}");

        assertThat(edited.status).isEqualTo(200);
        assertThat(edited.json.path("data").path("content").asText()).isEqualTo("Leave is twelve days.");
        assertThat(edited.json.path("data").path("tokens").asInt()).isEqualTo(3);
        assertThat(disabled.json.path("data").path("enabled").asBoolean()).isFalse();
        assertThat(refused.status).isEqualTo(404);
        assertThat(refused.json.path("code").asText()).isEqualTo("segment_not_found");
        assertThat(knowledge.segments.get(foreign.id()).enabled()).isTrue();
        assertThat(empty.status).isEqualTo(400);
    }

    @Test
    void should_answer_hit_testing_in_difys_shape() {
        KnowledgeBase base = knowledge.addBase(WORKSPACE, "Handbook", "{}");
        knowledge.hits = List.of(new RetrievedChunk(base.id(), "Handbook", "doc-9", "leave.md", "seg-9", 2,
                "Leave is ten days.", 0.83, List.of(new RetrievedChunk.Child("seg-10", 0, "ten days", 0.91)),
                Map.of("source", "text", "author", "Ann")));

        Answer answer = call("POST", "/console/api/datasets/" + base.id() + "/hit-testing",
                "{\"query\": \"how many days of leave\", \"retrieval_model\": {\"search_method\": \"semantic_search\"}}");

        assertThat(answer.status).isEqualTo(200);
        assertThat(knowledge.lastRetrievalModel).containsEntry("search_method", "semantic_search");
        assertThat(answer.json.path("query").path("content").asText()).isEqualTo("how many days of leave");
        JsonNode record = answer.json.path("records").get(0);
        assertThat(record.path("score").asDouble()).isEqualTo(0.83);
        assertThat(record.path("segment").path("id").asText()).isEqualTo("seg-9");
        assertThat(record.path("segment").path("position").asInt()).isEqualTo(2);
        assertThat(record.path("segment").path("content").asText()).isEqualTo("Leave is ten days.");
        assertThat(record.path("segment").path("document").path("id").asText()).isEqualTo("doc-9");
        assertThat(record.path("segment").path("document").path("name").asText()).isEqualTo("leave.md");
        assertThat(record.path("segment").path("document").path("data_source_type").asText()).isEqualTo("text");
        assertThat(record.path("child_chunks").get(0).path("id").asText()).isEqualTo("seg-10");
        assertThat(record.path("child_chunks").get(0).path("score").asDouble()).isEqualTo(0.91);
        assertThat(call("POST", "/console/api/datasets/" + base.id() + "/hit-testing", "{\"query\": \" \"}").status)
                .isEqualTo(400);
    }

    // ------------------------------------------------------------------ availability

    @Test
    void should_answer_503_while_the_knowledge_service_is_missing() {
        resource.unbindKnowledge(knowledge);

        Answer answer = call("GET", "/console/api/datasets", null);

        assertThat(answer.status).isEqualTo(503);
        assertThat(answer.json.path("code").asText()).isEqualTo("unavailable");
        assertThat(answer.retryAfter).isEqualTo("1");
    }

    @Test
    void should_keep_a_new_service_when_an_old_one_leaves() {
        FakeKnowledge replacement = new FakeKnowledge();
        replacement.addBase(WORKSPACE, "From the new one", "{}");

        resource.bindKnowledge(replacement, Map.of());
        resource.unbindKnowledge(knowledge);

        assertThat(names(call("GET", "/console/api/datasets", null).json.path("data"))).containsExactly("From the new one");
    }

    @Test
    void should_read_the_upload_limit_from_the_services_configuration() {
        assertThat(KnowledgeResource.maxFileBytes(Map.of("max_file_mb", 3))).isEqualTo(3L * 1024 * 1024);
        assertThat(KnowledgeResource.maxFileBytes(Map.of("max_file_mb", "7"))).isEqualTo(7L * 1024 * 1024);
        assertThat(KnowledgeResource.maxFileBytes(Map.of())).isEqualTo(50L * 1024 * 1024);
    }

    // ------------------------------------------------------------------ helpers

    private record Answer(int status, String contentType, String retryAfter, JsonNode json) {
    }

    private Answer call(String method, String path, String json) {
        return call(method, path, json == null ? null : "application/json",
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    private Answer upload(String baseId, byte[] body) {
        return call("POST", "/console/api/datasets/" + baseId + "/document/create-by-file",
                "multipart/form-data; boundary=" + BOUNDARY, body);
    }

    private Answer call(String method, String path, String contentType, byte[] body) {
        try {
            ContainerRequest request = new ContainerRequest(URI.create("http://localhost/"),
                    URI.create("http://localhost" + path), method, null, new MapPropertiesDelegate(), null);
            if (body != null) {
                request.header("Content-Type", contentType);
                request.header("Content-Length", String.valueOf(body.length));
                request.setEntityStream(new ByteArrayInputStream(body));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ContainerResponse response = app.apply(request, out).get();
            byte[] bytes = out.toByteArray();
            JsonNode json = bytes.length == 0 ? Json.mapper().missingNode() : Json.mapper().readTree(bytes);
            return new Answer(response.getStatus(), String.valueOf(response.getMediaType()),
                    response.getHeaderString("Retry-After"), json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> names(JsonNode data) {
        return java.util.stream.StreamSupport.stream(data.spliterator(), false).map(n -> n.path("name").asText()).toList();
    }

    private static String part(String name, String fileName, String content) {
        return "Content-Disposition: form-data; name=\"" + name + "\""
                + (fileName == null ? "" : "; filename=\"" + fileName + "\"\r\nContent-Type: application/octet-stream")
                + "\r\n\r\n" + content;
    }

    /** Parts joined as a browser does, file names in UTF-8 and contents byte for byte (ISO-8859-1 strings). */
    private static byte[] multipart(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("preamble to skip\r\n".getBytes(StandardCharsets.ISO_8859_1));
        for (String part : parts) {
            int split = part.indexOf("\r\n\r\n");
            out.writeBytes(("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(part.substring(0, split + 4).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(part.substring(split + 4).getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static KnowledgeRepository counts(KnowledgeRepository.Counts counts) {
        return (KnowledgeRepository) Proxy.newProxyInstance(KnowledgeRepository.class.getClassLoader(),
                new Class<?>[] {KnowledgeRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("counts")) {
                        return counts;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

}
