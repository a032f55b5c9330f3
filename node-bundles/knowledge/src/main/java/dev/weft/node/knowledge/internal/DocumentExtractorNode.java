package dev.weft.node.knowledge.internal;

import dev.weft.api.core.Violation;
import dev.weft.api.http.EgressException;
import dev.weft.api.http.HttpRequest;
import dev.weft.api.http.HttpResponse;
import dev.weft.api.http.OutboundHttp;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableSpec;
import dev.weft.spi.node.VariableType;
import dev.weft.spi.rag.DocumentExtractor;
import dev.weft.spi.rag.DocumentSource;
import dev.weft.spi.rag.ExtractedDocument;
import dev.weft.spi.rag.ExtractionException;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code document-extractor}: turns the file, or the array of files, that {@code variable_selector}
 * points at into text, output as {@code text}: a string for one file, an array of strings (one per
 * file, in order) for an array. As in Dify, the value decides which: {@code is_array_file} is the
 * editor's note of it.
 *
 * <p>The text comes from the {@link DocumentExtractor} services (the extractors bundle gives PDF,
 * DOCX, XLSX, CSV, HTML, Markdown, JSON and plain text). One is chosen by the file's extension (its
 * {@code extension} field, else its name), then by its declared media type; a file neither
 * matches fails the node with {@code unsupported_file_type}. An extractor's failure keeps its code
 * ({@code document_limit}, {@code document_unreadable}, {@code document_type_mismatch}).
 *
 * <p>A file given by URL ({@code remote_url}) is fetched through {@link OutboundHttp}, so the
 * egress policy decides where it may come from; the response may be at most {@value #MAX_FILE_MB} MB,
 * Dify's upload limit. A refused or failed fetch keeps the {@link EgressException}'s code. Uploaded
 * and tool files ({@code local_file}, {@code tool_file}) live in a file store Weft does not have
 * yet, so they fail with {@code file_unavailable}.
 *
 * <p>Both services are referenced dynamically and read at each execution, so the node type stays
 * registered (and graphs using it validate) while extractors come and go.
 */
@Component(service = NodeType.class)
public final class DocumentExtractorNode implements NodeType {

    static final int MAX_FILE_MB = 15;
    static final long MAX_FILE_BYTES = MAX_FILE_MB * 1024L * 1024L;
    /** The http-request node's default timeouts: connect 10 s, read 60 s, and the two plus a 20 s write. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    static final Duration TOTAL_TIMEOUT = Duration.ofSeconds(90);

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor("document-extractor", "1",
            "Doc Extractor", "Extracts the text of a document file, or of each file of an array.", "knowledge",
            schema(), List.of(), List.of(new VariableSpec("text", VariableType.ANY,
                    "the text: a string for one file, an array of strings for an array of files", true)));

    private final List<DocumentExtractor> extractors = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile OutboundHttp http;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile dev.weft.api.file.StoredFiles storedFiles;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addExtractor(DocumentExtractor extractor) {
        extractors.add(extractor);
    }

    void removeExtractor(DocumentExtractor extractor) {
        extractors.remove(extractor);
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        List<Violation> problems = new ArrayList<>();
        if (VariableSelector.fromJson(config.get("variable_selector")).isEmpty()) {
            problems.add(new Violation("/variable_selector", config.containsKey("variable_selector")
                    ? "must be a variable selector: [node id, variable name, ...]"
                    : "is required: the selector of the file or array of files to read"));
        }
        Object array = config.get("is_array_file");
        if (array != null && !(array instanceof Boolean)) {
            problems.add(new Violation("/is_array_file", "must be true or false"));
        }
        return problems;
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException {
        Map<String, Object> config = context.config();
        List<Violation> problems = validate(config);
        if (!problems.isEmpty()) {
            throw new NodeException("invalid_config", "the document extractor's configuration is not valid: "
                    + String.join("; ", problems.stream().map(Violation::toString).toList()));
        }
        VariableSelector selector = VariableSelector.fromJson(config.get("variable_selector")).orElseThrow();
        Object value = context.variables().get(selector).orElse(null);
        if (value == null) {
            throw new NodeException("variable_not_found", "the file variable " + selector
                    + " is not set in this run; the document extractor needs a file or an array of files");
        }

        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("variable_selector", selector.parts());
        List<Map<String, Object>> documents = new ArrayList<>();
        Object text;
        if (value instanceof List<?> files) {
            List<String> texts = new ArrayList<>(files.size());
            for (int i = 0; i < files.size(); i++) {
                if (context.isCancelled()) {
                    throw new NodeException("stopped", "the run was stopped");
                }
                DifyFile file = DifyFile.of(files.get(i), "item " + i + " of " + selector);
                texts.add(extract(file, documents, context.workspaceId()));
            }
            text = texts;
        } else {
            text = extract(DifyFile.of(value, "the variable " + selector), documents, context.workspaceId());
        }

        Map<String, Object> trace = new LinkedHashMap<>();
        trace.put("file_count", documents.size());
        trace.put("documents", documents);
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("text", text);
        return NodeResult.of(outputs).withInputs(inputs).withProcessData(trace);
    }

    /** The text of one file; records what was done in {@code documents}. */
    private String extract(DifyFile file, List<Map<String, Object>> documents, String workspaceId)
            throws NodeException {
        DocumentExtractor extractor = choose(file);
        String extractorId = extractor.descriptor().id();
        Fetched fetched = fetch(file, workspaceId);
        String mediaType = !file.mimeType().isEmpty() ? file.mimeType() : fetched.mediaType();
        DocumentSource source = new DocumentSource(file.name(), mediaType, fetched.bytes().length,
                () -> new ByteArrayInputStream(fetched.bytes()));
        ExtractedDocument document;
        try {
            document = extractor.extract(source);
        } catch (ExtractionException e) {
            throw new NodeException(e.code(), e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new NodeException("document_unreadable", "the " + extractorId + " extractor could not read "
                    + file.name(), e);
        }
        String text = document == null ? "" : document.text();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("filename", file.name());
        entry.put("extension", file.extension());
        entry.put("mime_type", mediaType);
        entry.put("transfer_method", file.transferMethod());
        entry.put("extractor", extractorId);
        entry.put("bytes", fetched.bytes().length);
        entry.put("characters", text.length());
        documents.add(entry);
        return text;
    }

    /** The extractor for a file: by extension first, then by declared media type. */
    DocumentExtractor choose(DifyFile file) throws NodeException {
        List<DocumentExtractor> bound = List.copyOf(extractors);
        if (!file.extension().isEmpty()) {
            for (DocumentExtractor extractor : bound) {
                if (extractor.descriptor().fileExtensions().contains(file.extension())) {
                    return extractor;
                }
            }
        }
        if (!file.mimeType().isEmpty()) {
            for (DocumentExtractor extractor : bound) {
                if (extractor.descriptor().mediaTypes().contains(file.mimeType())) {
                    return extractor;
                }
            }
        }
        TreeSet<String> known = new TreeSet<>();
        bound.forEach(e -> known.addAll(e.descriptor().fileExtensions()));
        String what = file.extension().isEmpty()
                ? file.name() + " has no file extension" + (file.mimeType().isEmpty() ? "" : " and its type "
                        + file.mimeType() + " is not one Weft reads")
                : "." + file.extension() + " files (" + file.name() + ") cannot be read";
        String can = known.isEmpty() ? "no document extractors are installed (the bundle dev.weft.rag.extractors)"
                : "Weft reads " + String.join(", ", known);
        throw new NodeException("unsupported_file_type", "unsupported file type: " + what + "; " + can);
    }

    private record Fetched(byte[] bytes, String mediaType) {
    }

    /**
     * The file's bytes: an uploaded file from the run's own workspace's files, a remote one from its
     * URL through the egress service.
     */
    private Fetched fetch(DifyFile file, String workspaceId) throws NodeException {
        if (file.isStored()) {
            dev.weft.api.file.StoredFiles stored = storedFiles;
            if (stored == null) {
                throw new NodeException("file_unavailable", "the file " + file.name() + " is an uploaded file ("
                        + file.transferMethod() + "), and the store of uploaded files is not available");
            }
            if (file.storedId() == null) {
                throw new NodeException("invalid_file", "the uploaded file " + file.name()
                        + " names no upload (related_id or upload_file_id)");
            }
            dev.weft.api.file.StoredFile found = stored.find(workspaceId, file.storedId())
                    .orElseThrow(() -> new NodeException("file_not_found", "the uploaded file " + file.name()
                            + " does not exist (or is not this workspace's)"));
            if (found.size() > MAX_FILE_BYTES) {
                throw new NodeException("document_limit", "the file " + file.name() + " is larger than "
                        + MAX_FILE_BYTES + " bytes");
            }
            return new Fetched(found.content(), found.mimeType());
        }
        if (file.url() == null) {
            throw new NodeException("invalid_file", "the file " + file.name() + " has no URL to read it from"
                    + (file.transferMethod().isEmpty() ? "" : " (transfer_method " + file.transferMethod() + ")"));
        }
        OutboundHttp client = http;
        if (client == null) {
            throw new NodeException("egress_unavailable", "the file " + file.name() + " cannot be fetched: the"
                    + " platform's outbound HTTP service is not available");
        }
        HttpResponse response;
        try {
            response = client.send(HttpRequest.newBuilder("GET", file.url())
                    .connectTimeout(CONNECT_TIMEOUT)
                    .readTimeout(READ_TIMEOUT)
                    .totalTimeout(TOTAL_TIMEOUT)
                    .maxResponseBytes(MAX_FILE_BYTES)
                    .maxRedirects(HttpRequest.DEFAULT_MAX_REDIRECTS)
                    .build());
        } catch (EgressException e) {
            if (EgressException.TOO_LARGE.equals(e.code())) {
                throw new NodeException(e.code(), "the file " + file.name() + " is larger than " + MAX_FILE_MB
                        + " MB, the most the document extractor reads", e);
            }
            throw new NodeException(e.code(), "the file " + file.name() + " could not be fetched: " + e.getMessage(),
                    e);
        }
        if (response.status() >= 400) {
            throw new NodeException("file_fetch_error", "the file " + file.name()
                    + " could not be fetched: the server answered with status " + response.status());
        }
        String type = response.header("Content-Type").map(t -> t.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .filter(t -> !t.isEmpty()).orElse("application/octet-stream");
        return new Fetched(response.body(), type);
    }

    private static Map<String, Object> schema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("variable_selector", Map.of("type", "array", "minItems", 2, "items", Map.of("type", "string")));
        properties.put("is_array_file", Map.of("type", "boolean"));
        return Map.of("type", "object", "required", List.of("variable_selector"), "properties", properties);
    }
}
