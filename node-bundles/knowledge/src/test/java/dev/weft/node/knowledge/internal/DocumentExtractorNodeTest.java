package dev.weft.node.knowledge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.core.Violation;
import dev.weft.api.http.EgressException;
import dev.weft.api.http.HttpHeader;
import dev.weft.api.http.HttpRequest;
import dev.weft.api.http.HttpResponse;
import dev.weft.api.http.OutboundHttp;
import dev.weft.api.http.StreamingResponse;
import dev.weft.node.testing.TestNodeContext;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.rag.DocumentExtractor;
import dev.weft.spi.rag.DocumentSource;
import dev.weft.spi.rag.ExtractedDocument;
import dev.weft.spi.rag.ExtractionException;
import dev.weft.spi.rag.ExtractorDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The document-extractor node against doubles of the egress service and of extractors: which
 * extractor reads which file, what is fetched and how, the output's shape, and every failure code.
 */
class DocumentExtractorNodeTest {

    /** Requests the node sent, in order. */
    private final List<HttpRequest> sent = new ArrayList<>();
    /** The egress double's behaviour; by default it answers every URL with its own text. */
    private Function<HttpRequest, HttpResponse> answer =
            r -> response(200, "text/plain; charset=utf-8", "content of " + r.url());

    private final OutboundHttp http = new OutboundHttp() {
        @Override
        public HttpResponse send(HttpRequest request) {
            sent.add(request);
            return answer.apply(request);
        }

        @Override
        public StreamingResponse open(HttpRequest request) {
            throw new UnsupportedOperationException("the document extractor reads whole responses");
        }

        @Override
        public void check(String url) {
        }
    };

    /** An extractor double that upper-cases what it reads and records what it was given. */
    static final class FakeExtractor implements DocumentExtractor {
        final ExtractorDescriptor descriptor;
        final List<DocumentSource> read = new ArrayList<>();
        ExtractionException failure;

        FakeExtractor(String id, Set<String> mediaTypes, Set<String> extensions) {
            this.descriptor = new ExtractorDescriptor(id, "1", id, "", Map.of(), mediaTypes, extensions);
        }

        @Override
        public ExtractorDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public ExtractedDocument extract(DocumentSource source) throws ExtractionException {
            read.add(source);
            if (failure != null) {
                throw failure;
            }
            try (InputStream in = source.content().open()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new ExtractedDocument(descriptor.id() + ":" + text, Map.of());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final FakeExtractor txt = new FakeExtractor("txt", Set.of("text/plain"), Set.of("txt", "text", "log"));
    private final FakeExtractor pdf = new FakeExtractor("pdf", Set.of("application/pdf"), Set.of("pdf"));
    private final FakeExtractor markdown = new FakeExtractor("markdown", Set.of("text/markdown"), Set.of("md", "markdown"));

    private final DocumentExtractorNode node = new DocumentExtractorNode();

    DocumentExtractorNodeTest() {
        node.http = http;
        node.addExtractor(txt);
        node.addExtractor(pdf);
        node.addExtractor(markdown);
    }

    static HttpResponse response(int status, String type, String body) {
        List<HttpHeader> headers = type == null ? List.of() : List.of(new HttpHeader("Content-Type", type));
        return new HttpResponse(status, headers, body.getBytes(StandardCharsets.UTF_8), "https://files.example/x");
    }

    /** A remote file as Weft's DSL runner and the http-request node write it. */
    static Map<String, Object> remoteFile(String name, String extension, String mime) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("dify_model_identity", "__dify__file__");
        file.put("type", "document");
        file.put("transfer_method", "remote_url");
        file.put("remote_url", "https://files.example/" + name);
        file.put("url", "https://files.example/" + name);
        file.put("filename", name);
        if (extension != null) {
            file.put("extension", extension);
        }
        if (mime != null) {
            file.put("mime_type", mime);
        }
        file.put("size", 14);
        return file;
    }

    static Map<String, Object> config(String... selector) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("type", "document-extractor");
        config.put("title", "Doc Extractor");
        config.put("variable_selector", List.of(selector));
        config.put("is_array_file", false);
        return config;
    }

    static NodeException failure(Throwable thrown) {
        return (NodeException) thrown;
    }

    @Test
    void oneRemoteFileBecomesOneString() throws NodeException {
        NodeResult result = node.execute(TestNodeContext.of(config("1746517687301", "pdf_file"))
                .with("1746517687301.pdf_file", remoteFile("report.pdf", ".pdf", "application/pdf")));

        assertThat(result.outputs()).containsExactly(Map.entry("text", "pdf:content of https://files.example/report.pdf"));
        assertThat(sent).hasSize(1);
        HttpRequest request = sent.get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.url()).isEqualTo("https://files.example/report.pdf");
        assertThat(request.maxResponseBytes()).isEqualTo(15L * 1024 * 1024);
        assertThat(request.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(request.readTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(request.totalTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(request.maxRedirects()).isEqualTo(HttpRequest.DEFAULT_MAX_REDIRECTS);
        assertThat(request.verifyTls()).isTrue();

        assertThat(pdf.read).singleElement().satisfies(source -> {
            assertThat(source.fileName()).isEqualTo("report.pdf");
            assertThat(source.mediaType()).isEqualTo("application/pdf");
            assertThat(source.size()).isEqualTo("content of https://files.example/report.pdf".length());
        });
        assertThat(txt.read).isEmpty();

        assertThat(result.inputs()).containsEntry("variable_selector", List.of("1746517687301", "pdf_file"));
        assertThat(result.processData()).containsEntry("file_count", 1);
        assertThat(result.processData().get("documents")).asList().singleElement().isEqualTo(Map.of(
                "filename", "report.pdf", "extension", "pdf", "mime_type", "application/pdf",
                "transfer_method", "remote_url", "extractor", "pdf",
                "bytes", 43, "characters", 47));
    }

    @Test
    void anArrayOfFilesBecomesAnArrayOfStringsInOrder() throws NodeException {
        Map<String, Object> config = config("sys", "files");
        config.put("is_array_file", true);
        List<Object> files = List.of(remoteFile("notes.md", ".md", "text/markdown"),
                remoteFile("scan.PDF", ".PDF", null), remoteFile("server.log", "", null));

        NodeResult result = node.execute(TestNodeContext.of(config).with("sys.files", files));

        assertThat(result.outputs().get("text")).isEqualTo(List.of(
                "markdown:content of https://files.example/notes.md",
                "pdf:content of https://files.example/scan.PDF",
                "txt:content of https://files.example/server.log"));
        assertThat(sent).extracting(HttpRequest::url).containsExactly("https://files.example/notes.md",
                "https://files.example/scan.PDF", "https://files.example/server.log");
        // with no declared type, the response's (without its parameters) is the one the extractor sees
        assertThat(pdf.read.get(0).mediaType()).isEqualTo("text/plain");
        assertThat(result.processData()).containsEntry("file_count", 3);
        List<?> documents = (List<?>) result.processData().get("documents");
        List<String> extractorIds = documents.stream().map(d -> String.valueOf(((Map<?, ?>) d).get("extractor")))
                .toList();
        assertThat(extractorIds).containsExactly("markdown", "pdf", "txt");
    }

    @Test
    void anEmptyArrayGivesAnEmptyArrayWithoutFetching() throws NodeException {
        NodeResult result = node.execute(TestNodeContext.of(config("start", "docs")).with("start.docs", List.of()));

        assertThat(result.outputs()).containsEntry("text", List.of());
        assertThat(result.processData()).containsEntry("file_count", 0).containsEntry("documents", List.of());
        assertThat(sent).isEmpty();
    }

    @Test
    void theMediaTypeIsUsedWhenTheExtensionMatchesNoExtractor() throws NodeException {
        Map<String, Object> file = remoteFile("download", null, "application/pdf; qs=0.9");

        NodeResult result = node.execute(TestNodeContext.of(config("start", "file")).with("start.file", file));

        assertThat(result.outputs().get("text")).isEqualTo("pdf:content of https://files.example/download");
        assertThat(pdf.read.get(0).mediaType()).isEqualTo("application/pdf");
    }

    @Test
    void anUnsupportedExtensionFailsNamingItBeforeAnythingIsFetched() {
        Map<String, Object> file = remoteFile("slides.pptx", ".pptx",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation");

        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("start", "file")).with("start.file", file)))
                .isInstanceOf(NodeException.class)
                .satisfies(e -> assertThat(failure(e).code()).isEqualTo("unsupported_file_type"))
                .hasMessageContaining(".pptx")
                .hasMessageContaining("slides.pptx")
                .hasMessageContaining("Weft reads log, markdown, md, pdf, text, txt");
        assertThat(sent).isEmpty();

        Map<String, Object> nameless = remoteFile("blob", null, null);
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("start", "file")).with("start.file", nameless)))
                .satisfies(e -> assertThat(failure(e).code()).isEqualTo("unsupported_file_type"))
                .hasMessageContaining("blob has no file extension");
    }

    @Test
    void withoutExtractorsEveryFileIsUnsupportedAndTheMessageSaysWhy() {
        node.removeExtractor(txt);
        node.removeExtractor(pdf);
        node.removeExtractor(markdown);

        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("start", "file"))
                .with("start.file", remoteFile("a.txt", ".txt", "text/plain"))))
                .satisfies(e -> assertThat(failure(e).code()).isEqualTo("unsupported_file_type"))
                .hasMessageContaining("no document extractors are installed");
    }

    @Test
    void aRefusedFetchKeepsTheEgressCode() {
        answer = r -> {
            throw new EgressException(EgressException.BLOCKED, "the address 10.0.0.5 is not allowed");
        };

        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("start", "file"))
                .with("start.file", remoteFile("secret.txt", ".txt", "text/plain"))))
                .satisfies(e -> assertThat(failure(e).code()).isEqualTo("egress_blocked"))
                .hasMessage("the file secret.txt could not be fetched: the address 10.0.0.5 is not allowed");
        assertThat(txt.read).isEmpty();
    }

    @Test
    void aFileOverFifteenMegabytesOrAnErrorStatusFailsTheFetch() {
        answer = r -> {
            throw new EgressException(EgressException.TOO_LARGE, "the response is larger than 15728640 bytes");
        };
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("start", "file"))
                .with("start.file", remoteFile("huge.pdf", ".pdf", "application/pdf"))))
                .satisfies(e -> assertThat(failure(e).code()).isEqualTo("response_too_large"))
                .hasMessageContaining("huge.pdf is larger than 15 MB");

        answer = r -> response(404, "text/html", "<h1>Not found</h1>");
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("start", "file"))
                .with("start.file", remoteFile("gone.pdf", ".pdf", "application/pdf"))))
                .satisfies(e -> assertThat(failure(e).code()).isEqualTo("file_fetch_error"))
                .hasMessageContaining("status 404");
        assertThat(pdf.read).isEmpty();
    }

    @Test
    void uploadedFilesAreReadFromTheRunsWorkspaceOnly() throws Exception {
        String workspace = TestNodeContext.of(config("start", "file")).workspaceId();
        Map<String, dev.weft.api.file.StoredFile> stored = new java.util.HashMap<>();
        stored.put(workspace + "/abc", new dev.weft.api.file.StoredFile("abc", "upload.txt", "txt", "text/plain",
                "Uploaded words.".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        stored.put("other-workspace/def", new dev.weft.api.file.StoredFile("def", "secret.txt", "txt", "text/plain",
                "CANARY".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        node.storedFiles = (workspaceId, fileId) -> java.util.Optional.ofNullable(stored.get(workspaceId + "/" + fileId));

        Map<String, Object> file = new LinkedHashMap<>(remoteFile("upload.txt", ".txt", "text/plain"));
        file.put("transfer_method", "local_file");
        file.remove("remote_url");
        file.put("upload_file_id", "abc");
        NodeResult result = node.execute(TestNodeContext.of(config("start", "file")).with("start.file", file));
        assertThat(result.outputs().get("text")).isEqualTo("txt:Uploaded words.");

        // another workspace's upload is as absent as an unknown one, and never read
        Map<String, Object> foreign = new LinkedHashMap<>(file);
        foreign.put("upload_file_id", "def");
        foreign.put("related_id", "def");
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("start", "file")).with("start.file", foreign)))
                .satisfies(e -> assertThat(failure(e).code()).isEqualTo("file_not_found"))
                .hasMessageNotContaining("CANARY");

        // without the store, an uploaded file cannot be read, and says so
        node.storedFiles = null;
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("start", "file")).with("start.file", file)))
                .satisfies(e -> assertThat(failure(e).code()).isEqualTo("file_unavailable"));
        assertThat(sent).isEmpty();
    }

    @Test
    void anExtractorsFailureKeepsItsCode() {
        txt.failure = new ExtractionException("document_type_mismatch",
                "fake.txt is not a text file: its content is a PDF document.", null);
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("start", "file"))
                .with("start.file", remoteFile("fake.txt", ".txt", "text/plain"))))
                .satisfies(e -> assertThat(failure(e).code()).isEqualTo("document_type_mismatch"))
                .hasMessage("fake.txt is not a text file: its content is a PDF document.");

        pdf.failure = new ExtractionException("document_limit", "big.pdf has more than 1,000 pages.", null);
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("start", "files"))
                .with("start.files", List.of(remoteFile("big.pdf", ".pdf", null)))))
                .satisfies(e -> assertThat(failure(e).code()).isEqualTo("document_limit"));
    }

    @Test
    void valuesThatAreNotFilesAreRefused() {
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("start", "file")).with("start.file", "a.txt")))
                .satisfies(e -> assertThat(failure(e).code()).isEqualTo("invalid_file"))
                .hasMessageContaining("the variable start.file is not a file but text");
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("start", "file"))
                .with("start.file", Map.of("filename", "a.txt"))))
                .satisfies(e -> assertThat(failure(e).code()).isEqualTo("invalid_file"));
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("start", "files"))
                .with("start.files", List.of(remoteFile("a.txt", ".txt", null), 42))))
                .satisfies(e -> assertThat(failure(e).code()).isEqualTo("invalid_file"))
                .hasMessageContaining("item 1 of start.files");
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("start", "file"))))
                .satisfies(e -> assertThat(failure(e).code()).isEqualTo("variable_not_found"))
                .hasMessageContaining("start.file");
        Map<String, Object> noUrl = new LinkedHashMap<>(remoteFile("a.txt", ".txt", null));
        noUrl.remove("remote_url");
        noUrl.remove("url");
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("start", "file")).with("start.file", noUrl)))
                .satisfies(e -> assertThat(failure(e).code()).isEqualTo("invalid_file"))
                .hasMessageContaining("no URL");
    }

    @Test
    void validationNeedsASelector() {
        Map<String, Object> missing = config("start", "file");
        missing.remove("variable_selector");
        Map<String, Object> shortOne = config("start");
        Map<String, Object> dotted = config("start", "file");
        dotted.put("variable_selector", "start.file");
        Map<String, Object> badFlag = config("start", "file");
        badFlag.put("is_array_file", "yes");

        assertThat(node.validate(config("1746517687301", "pdf_file"))).isEmpty();
        assertThat(node.validate(Map.of("variable_selector", List.of("sys", "files")))).isEmpty();
        assertThat(node.validate(missing)).extracting(Violation::path).containsExactly("/variable_selector");
        assertThat(node.validate(missing).get(0).message()).contains("is required");
        assertThat(node.validate(shortOne)).extracting(Violation::path).containsExactly("/variable_selector");
        assertThat(node.validate(dotted)).extracting(Violation::path).containsExactly("/variable_selector");
        assertThat(node.validate(badFlag)).extracting(Violation::path).containsExactly("/is_array_file");

        assertThatThrownBy(() -> node.execute(TestNodeContext.of(missing)))
                .satisfies(e -> assertThat(failure(e).code()).isEqualTo("invalid_config"));
    }

    @Test
    void theDescriptorDescribesDifysNode() {
        assertThat(node.descriptor().type()).isEqualTo("document-extractor");
        assertThat(node.descriptor().category()).isEqualTo("knowledge");
        assertThat(node.descriptor().configSchema()).containsEntry("required", List.of("variable_selector"));
        assertThat(node.descriptor().outputs()).extracting(spec -> spec.name()).containsExactly("text");
    }

    @Test
    void extensionsAreReadFromTheFieldOrTheName() {
        assertThat(DifyFile.normaliseExtension(".PDF")).isEqualTo("pdf");
        assertThat(DifyFile.normaliseExtension("not an extension")).isEmpty();
        assertThat(DifyFile.extensionOf("Quarterly Report.v2.DOCX")).isEqualTo("docx");
        assertThat(DifyFile.extensionOf(".env")).isEmpty();
        assertThat(DifyFile.extensionOf("README")).isEmpty();
    }
}
