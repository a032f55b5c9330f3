package dev.weft.web.internal.knowledge;

import dev.weft.api.core.WeftException;
import dev.weft.api.rag.RetrievedChunk;
import dev.weft.platform.knowledge.KnowledgeAdministration;
import dev.weft.platform.knowledge.KnowledgeAdministration.NewKnowledgeBase;
import dev.weft.platform.store.KnowledgeRepository;
import dev.weft.platform.store.KnowledgeRepository.Counts;
import dev.weft.platform.store.KnowledgeRepository.Document;
import dev.weft.platform.store.KnowledgeRepository.KnowledgeBase;
import dev.weft.platform.store.KnowledgeRepository.Segment;
import dev.weft.web.internal.json.Json;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /console/api/datasets}: the knowledge bases of the caller's workspace, their documents (added from text or from an uploaded file), their chunks,
 * and hit testing, in the shapes of Dify's console and service APIs.
 */
@Component(service = KnowledgeResource.class)
@JakartarsResource
@Path("/console/api/datasets")
@Produces(MediaType.APPLICATION_JSON)
public final class KnowledgeResource {

    @jakarta.ws.rs.core.Context
    jakarta.ws.rs.core.SecurityContext security;

    private static final Logger LOG = LoggerFactory.getLogger(KnowledgeResource.class);

    /** The knowledge service's own default largest file, when its configuration does not say. */
    static final int DEFAULT_MAX_FILE_MB = 50;

    /** What an upload may carry besides its file: the {@code data} part and the multipart framing. */
    static final long UPLOAD_OVERHEAD_BYTES = 1024L * 1024;


    /** For the document and word counts of the dataset object. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile KnowledgeRepository repository;

    /** The knowledge service with the largest upload its configuration allows. */
    private record Bound(KnowledgeAdministration admin, long maxUploadBytes) {
    }

    private volatile Bound knowledge;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            unbind = "unbindKnowledge")
    void bindKnowledge(KnowledgeAdministration admin, Map<String, Object> properties) {
        knowledge = new Bound(admin, maxFileBytes(properties) + UPLOAD_OVERHEAD_BYTES);
    }

    void unbindKnowledge(KnowledgeAdministration admin) {
        Bound bound = knowledge;
        if (bound != null && bound.admin() == admin) {
            knowledge = null;
        }
    }

    /** The service's file limit as its configuration ({@code max_file_mb}) publishes it, else its default. */
    static long maxFileBytes(Map<String, Object> properties) {
        Object value = properties == null ? null : properties.get("max_file_mb");
        long mb = DEFAULT_MAX_FILE_MB;
        if (value instanceof Number n) {
            mb = n.longValue();
        } else if (value instanceof String s) {
            try {
                mb = Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                mb = DEFAULT_MAX_FILE_MB;
            }
        }
        return Math.max(1, mb) * 1024 * 1024;
    }

    // ------------------------------------------------------------------ bodies

    /** A knowledge base to create, or the changes to one (Dify's fields, plus {@code language} and {@code metadata_fields}). */
    public record DatasetBody(String name, String description, String indexingTechnique, String embeddingModel,
            String embeddingModelProvider, Map<String, Object> retrievalModel, String docForm,
            Map<String, Object> processRule, String language, Map<String, String> metadataFields, String permission) {
    }

    /** A document from text: {@code name}, {@code text}, {@code metadata} (Dify's other fields are ignored). */
    public record TextDocumentBody(String name, String text, Map<String, Object> metadata) {
    }

    /** The {@code data} part of an upload. */
    public record FileDataBody(Map<String, Object> metadata) {
    }

    /** Dify's metadata item: {@code {name, value}}. */
    public record MetadataItem(String id, String name, Object value) {
    }

    /** A document's metadata: {@code {"metadata": {...}}}, or Dify's {@code {"metadata_list": [{name, value}]}}. */
    public record MetadataBody(Map<String, Object> metadata, List<MetadataItem> metadataList) {
    }

    /** A chunk's changes: the console's flat body, or the service API's {@code {"segment": {...}}}. */
    public record SegmentBody(String content, Boolean enabled, SegmentFields segment) {
    }

    /** The fields of a chunk that may change. */
    public record SegmentFields(String content, Boolean enabled) {
    }

    /** Hit testing: the query and, optionally, a retrieval model to use instead of the base's. */
    public record HitTestingBody(String query, Map<String, Object> retrievalModel) {
    }

    // ------------------------------------------------------------------ knowledge bases

    @GET
    public Map<String, Object> list(@QueryParam("page") String page, @QueryParam("limit") String limit,
            @QueryParam("keyword") String keyword) {
        int p = number("page", page, 1, 1, Integer.MAX_VALUE);
        int size = number("limit", limit, 20, 1, 100);
        String workspace = workspace();
        String wanted = keyword == null || keyword.isBlank() ? null : keyword.strip().toLowerCase(Locale.ROOT);
        List<KnowledgeBase> bases = admin().bases(workspace).stream()
                .filter(b -> wanted == null || b.name().toLowerCase(Locale.ROOT).contains(wanted)).toList();
        long from = (long) (p - 1) * size;
        List<Map<String, Object>> data = new ArrayList<>();
        for (long i = from; i < Math.min(bases.size(), from + size); i++) {
            KnowledgeBase base = bases.get((int) i);
            data.add(Shapes.dataset(base, counts(workspace, base.id())));
        }
        return Shapes.page(data, p, size, bases.size(), from + size < bases.size());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(DatasetBody body) {
        if (body == null) {
            throw invalid("a JSON body with at least a name is required");
        }
        permission(body.permission());
        String workspace = workspace();
        KnowledgeBase base = admin().create(workspace, new NewKnowledgeBase(body.name(), body.description(),
                body.indexingTechnique(), body.embeddingModelProvider(), body.embeddingModel(), body.language(),
                body.docForm(), body.processRule(), body.retrievalModel(), body.metadataFields()));
        return Response.status(201).entity(Shapes.dataset(base, counts(workspace, base.id()))).build();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        String workspace = workspace();
        return Shapes.dataset(base(workspace, id), counts(workspace, id));
    }

    /**
     * Changes name, description, retrieval model, process rule or metadata fields. The console sends
     * its whole settings form: the indexing technique, embedding model, doc form and language may be
     * sent but not changed.
     */
    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(@PathParam("id") String id, DatasetBody body) {
        if (body == null) {
            throw invalid("a JSON body is required");
        }
        permission(body.permission());
        String workspace = workspace();
        KnowledgeAdministration admin = admin();
        KnowledgeBase base = base(workspace, id);
        unchanged("indexing_technique", body.indexingTechnique(), base.indexingTechnique());
        unchanged("embedding_model", body.embeddingModel(), base.embeddingModel());
        unchanged("embedding_model_provider", body.embeddingModelProvider(), base.embeddingProvider());
        unchanged("doc_form", body.docForm(), base.docForm());
        unchanged("language", body.language(), base.language());
        KnowledgeBase changed = admin.update(workspace, id, new NewKnowledgeBase(body.name(), body.description(), null,
                null, null, null, null, body.processRule(), body.retrievalModel(), body.metadataFields()));
        return Shapes.dataset(changed, counts(workspace, id));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        if (!admin().delete(workspace(), id)) {
            throw datasetNotFound(id);
        }
        return Response.noContent().build();
    }

    // ------------------------------------------------------------------ documents

    @GET
    @Path("{id}/documents")
    public Map<String, Object> documents(@PathParam("id") String id, @QueryParam("page") String page,
            @QueryParam("limit") String limit, @QueryParam("keyword") String keyword) {
        int p = number("page", page, 1, 1, 1_000_000);
        int size = number("limit", limit, 20, 1, 100);
        String workspace = workspace();
        KnowledgeBase base = base(workspace, id);
        String wanted = keyword == null || keyword.isBlank() ? null : keyword.strip();
        List<Document> documents = admin().documents(workspace, id, wanted, p, size);
        List<Map<String, Object>> data = documents.stream().map(d -> Shapes.document(d, base)).toList();
        long seen = (long) (p - 1) * size + documents.size();
        long total;
        boolean more;
        if (wanted == null) {
            total = counts(workspace, id).documents();
            more = seen < total;
        } else {
            // the store counts a base's documents, not those a keyword finds: a full page may have more
            more = documents.size() == size;
            total = seen + (more ? 1 : 0);
        }
        return Shapes.page(data, p, size, total, more);
    }

    /** Adds a document from text (JSON): {@code {name, text, metadata}} → {@code {document, batch}}. */
    @POST
    @Path("{id}/documents")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> addText(@PathParam("id") String id, TextDocumentBody body) {
        if (body == null) {
            throw invalid("a JSON body {name, text} is required");
        }
        if (body.name() == null || body.name().isBlank()) {
            throw invalid("name is required");
        }
        String workspace = workspace();
        KnowledgeAdministration admin = admin();
        Document document = admin.addText(workspace, id, body.name(), body.text(), body.metadata());
        return created(document, base(workspace, id));
    }

    /** Dify's path for a document from text. */
    @POST
    @Path("{id}/document/create-by-text")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> createByText(@PathParam("id") String id, TextDocumentBody body) {
        return addText(id, body);
    }

    /**
     * Dify's upload: a {@code multipart/form-data} body with one {@code file} part and, optionally, a
     * {@code data} part (JSON: {@code metadata}). The file streams to the knowledge service when
     * {@code data} comes first (as Dify's clients send it); a file sent before {@code data} is kept
     * in a temporary file until {@code data} has been read.
     */
    @POST
    @Path("{id}/document/create-by-file")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Map<String, Object> createByFile(@PathParam("id") String id,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) throws IOException {
        String workspace = workspace();
        Bound bound = bound();
        KnowledgeBase base = base(workspace, id);
        String boundary = boundary(contentType);
        MultipartReader reader = new MultipartReader(body == null ? InputStream.nullInputStream() : body, boundary,
                bound.maxUploadBytes());
        Map<String, Object> metadata = null;
        boolean dataSeen = false;
        Document added = null;
        java.nio.file.Path spooled = null;
        String spooledName = null;
        try {
            for (MultipartReader.Part part = reader.next(); part != null; part = reader.next()) {
                boolean file = part.isFile() || part.name().equals("file");
                if (added != null && (file || part.name().equals("data"))) {
                    // the document was made from what came before: an upload is one file, then nothing that changes it
                    discard(workspace, added);
                    added = null;
                    throw invalid(file ? "an upload carries one file" : "the data part must come once");
                }
                if (file) {
                    if (spooled != null) {
                        throw invalid("an upload carries one file");
                    }
                    if (dataSeen) {
                        added = bound.admin().addFile(workspace, id, part.fileName(), part.body(), metadata);
                    } else {
                        spooled = Files.createTempFile("weft-upload-", ".part");
                        spooledName = part.fileName();
                        try (OutputStream out = Files.newOutputStream(spooled)) {
                            part.body().transferTo(out);
                        }
                    }
                } else if (part.name().equals("data")) {
                    if (dataSeen) {
                        throw invalid("the data part must come once");
                    }
                    dataSeen = true;
                    metadata = data(part.body());
                }
                // other fields are Dify's (indexing_technique, process_rule...): not Weft's to use per document
            }
            if (added == null && spooled == null) {
                throw invalid("the upload has no file part (the field is named file)");
            }
            if (added == null) {
                try (InputStream in = Files.newInputStream(spooled)) {
                    added = bound.admin().addFile(workspace, id, spooledName, in, metadata);
                }
            }
            return created(added, base);
        } finally {
            if (spooled != null) {
                Files.deleteIfExists(spooled);
            }
        }
    }

    @GET
    @Path("{id}/documents/{doc}")
    public Map<String, Object> document(@PathParam("id") String id, @PathParam("doc") String doc) {
        String workspace = workspace();
        KnowledgeBase base = base(workspace, id);
        return Shapes.document(document(workspace, base, doc), base);
    }

    @DELETE
    @Path("{id}/documents/{doc}")
    public Response deleteDocument(@PathParam("id") String id, @PathParam("doc") String doc) {
        String workspace = workspace();
        KnowledgeAdministration admin = admin();
        document(workspace, base(workspace, id), doc);
        if (!admin.deleteDocument(workspace, doc)) {
            throw documentNotFound(doc);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/documents/{doc}/indexing-status")
    public Map<String, Object> indexingStatus(@PathParam("id") String id, @PathParam("doc") String doc) {
        String workspace = workspace();
        return Shapes.indexingStatus(document(workspace, base(workspace, id), doc));
    }

    /** Takes a document out of search ({@code disable}) or puts it back ({@code enable}). */
    @PATCH
    @Path("{id}/documents/{doc}/status/{action}")
    public Map<String, Object> status(@PathParam("id") String id, @PathParam("doc") String doc,
            @PathParam("action") String action) {
        boolean enable = switch (action) {
            case "enable" -> true;
            case "disable" -> false;
            default -> throw invalid("the action must be enable or disable");
        };
        String workspace = workspace();
        KnowledgeAdministration admin = admin();
        KnowledgeBase base = base(workspace, id);
        document(workspace, base, doc);
        return success(Shapes.document(admin.enable(workspace, doc, enable), base));
    }

    /** Queues a document for ingestion again: a failed one, or one whose base's rules changed. */
    @POST
    @Path("{id}/documents/{doc}/reindex")
    public Map<String, Object> reindex(@PathParam("id") String id, @PathParam("doc") String doc) {
        String workspace = workspace();
        KnowledgeAdministration admin = admin();
        KnowledgeBase base = base(workspace, id);
        document(workspace, base, doc);
        return success(Shapes.document(admin.reindex(workspace, doc), base));
    }

    @PUT
    @Path("{id}/documents/{doc}/metadata")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> metadata(@PathParam("id") String id, @PathParam("doc") String doc, MetadataBody body) {
        if (body == null || (body.metadata() == null && body.metadataList() == null)) {
            throw invalid("a JSON body {\"metadata\": {...}} is required");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (body.metadata() != null) {
            metadata.putAll(body.metadata());
        }
        if (body.metadataList() != null) {
            for (MetadataItem item : body.metadataList()) {
                String name = item == null ? null : (item.name() != null ? item.name() : item.id());
                if (name == null || name.isBlank()) {
                    throw invalid("each item of metadata_list needs a name");
                }
                metadata.put(name, item.value());
            }
        }
        String workspace = workspace();
        KnowledgeAdministration admin = admin();
        KnowledgeBase base = base(workspace, id);
        document(workspace, base, doc);
        return Shapes.document(admin.metadata(workspace, doc, metadata), base);
    }

    // ------------------------------------------------------------------ chunks

    /** A document's chunks, child chunks under their parent; {@code keyword} and {@code enabled} filter them. */
    @GET
    @Path("{id}/documents/{doc}/segments")
    public Map<String, Object> segments(@PathParam("id") String id, @PathParam("doc") String doc,
            @QueryParam("page") String page, @QueryParam("limit") String limit, @QueryParam("keyword") String keyword,
            @QueryParam("enabled") String enabled) {
        int p = number("page", page, 1, 1, 1_000_000);
        int size = number("limit", limit, 20, 1, 100);
        Boolean wantEnabled = switch (enabled == null ? "all" : enabled.strip().toLowerCase(Locale.ROOT)) {
            case "", "all" -> null;
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("enabled must be all, true or false");
        };
        String wanted = keyword == null || keyword.isBlank() ? null : keyword.strip().toLowerCase(Locale.ROOT);
        String workspace = workspace();
        KnowledgeAdministration admin = admin();
        KnowledgeBase base = base(workspace, id);
        document(workspace, base, doc);
        List<Segment> all = admin.segments(workspace, doc);
        Map<String, List<Segment>> children = new LinkedHashMap<>();
        List<Segment> top = new ArrayList<>();
        for (Segment segment : all) {
            if (segment.parentId() == null) {
                top.add(segment);
            } else {
                children.computeIfAbsent(segment.parentId(), k -> new ArrayList<>()).add(segment);
            }
        }
        List<Segment> shown = top.stream()
                .filter(s -> wantEnabled == null || s.enabled() == wantEnabled)
                .filter(s -> wanted == null || s.content().toLowerCase(Locale.ROOT).contains(wanted)
                        || children.getOrDefault(s.id(), List.of()).stream()
                                .anyMatch(c -> c.content().toLowerCase(Locale.ROOT).contains(wanted)))
                .toList();
        long from = (long) (p - 1) * size;
        List<Map<String, Object>> data = new ArrayList<>();
        for (long i = from; i < Math.min(shown.size(), from + size); i++) {
            Segment segment = shown.get((int) i);
            data.add(Shapes.segment(segment, children.getOrDefault(segment.id(), List.of())));
        }
        Map<String, Object> out = Shapes.page(data, p, size, shown.size(), from + size < shown.size());
        out.put("doc_form", base.docForm());
        return out;
    }

    /** Edits a chunk's text (embedded again) or its enabled flag. */
    @PATCH
    @Path("{id}/documents/{doc}/segments/{seg}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> updateSegment(@PathParam("id") String id, @PathParam("doc") String doc,
            @PathParam("seg") String seg, SegmentBody body) {
        if (body == null) {
            throw invalid("a JSON body {content, enabled} is required");
        }
        String content = body.segment() != null && body.segment().content() != null ? body.segment().content() : body.content();
        Boolean enabled = body.segment() != null && body.segment().enabled() != null ? body.segment().enabled() : body.enabled();
        if (content == null && enabled == null) {
            throw invalid("content or enabled is required");
        }
        String workspace = workspace();
        KnowledgeAdministration admin = admin();
        KnowledgeBase base = base(workspace, id);
        document(workspace, base, doc);
        List<Segment> all = admin.segments(workspace, doc);
        if (all.stream().noneMatch(s -> s.id().equals(seg))) {
            throw new WeftException("segment_not_found", "no chunk " + seg + " in this document");
        }
        Segment changed = admin.updateSegment(workspace, seg, content, enabled);
        List<Segment> kids = all.stream().filter(s -> seg.equals(s.parentId())).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", Shapes.segment(changed, kids));
        out.put("doc_form", base.docForm());
        return out;
    }

    // ------------------------------------------------------------------ hit testing

    @POST
    @Path("{id}/hit-testing")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> hitTesting(@PathParam("id") String id, HitTestingBody body) {
        if (body == null || body.query() == null || body.query().isBlank()) {
            throw invalid("query is required");
        }
        List<RetrievedChunk> found = admin().hitTest(workspace(), id, body.query(), body.retrievalModel());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("query", Map.of("content", body.query()));
        out.put("records", found.stream().map(Shapes::record).toList());
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, Object> created(Document document, KnowledgeBase base) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("document", Shapes.document(document, base));
        out.put("batch", document.batch());
        return out;
    }

    private static Map<String, Object> success(Map<String, Object> document) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("result", "success");
        out.put("document", document);
        return out;
    }

    /** Takes back a document made from an upload that turned out malformed. */
    private void discard(String workspace, Document document) {
        try {
            admin().deleteDocument(workspace, document.id());
        } catch (RuntimeException e) {
            LOG.warn("Document {} of a refused upload could not be removed: {}", document.id(), e.getMessage());
        }
    }

    /** The {@code data} part: a JSON object of at most 1 MiB. */
    private static Map<String, Object> data(InputStream part) throws IOException {
        byte[] bytes = part.readNBytes((int) UPLOAD_OVERHEAD_BYTES + 1);
        if (bytes.length > UPLOAD_OVERHEAD_BYTES) {
            throw invalid("the data part is larger than 1 MiB");
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return null;
        }
        try {
            FileDataBody data = Json.mapper().readValue(text, FileDataBody.class);
            return data == null ? null : data.metadata();
        } catch (IOException e) {
            throw invalid("the data part must be a JSON object such as {\"metadata\": {...}}");
        }
    }

    private static String boundary(String contentType) {
        try {
            MediaType type = MediaType.valueOf(contentType);
            String boundary = type.getParameters().get("boundary");
            if (boundary != null) {
                return boundary;
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            // answered below
        }
        throw invalid("the upload must be multipart/form-data with a boundary");
    }

    private KnowledgeBase base(String workspace, String id) {
        return admin().base(workspace, id).orElseThrow(() -> datasetNotFound(id));
    }

    /** A document of the base; one of another base answers as unknown. */
    private Document document(String workspace, KnowledgeBase base, String doc) {
        return admin().document(workspace, doc).filter(d -> Objects.equals(d.knowledgeBaseId(), base.id()))
                .orElseThrow(() -> documentNotFound(doc));
    }

    private Counts counts(String workspace, String id) {
        KnowledgeRepository store = repository;
        if (store == null) {
            throw new ServiceUnavailableException("The store is not ready yet.", 1L);
        }
        return store.counts(workspace, id);
    }

    private static void permission(String permission) {
        if (permission != null && !permission.equals("only_me")) {
            throw invalid("permission must be only_me until Weft has accounts");
        }
    }

    private static void unchanged(String field, String given, String current) {
        if (given != null && !given.isBlank() && !given.equals(current)) {
            throw invalid(field + " cannot be changed (it is " + current + ")");
        }
    }

    private static int number(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid(name + " must be a whole number from " + min + " to " + max);
    }

    private static WeftException invalid(String message) {
        return new WeftException("invalid_param", message);
    }

    private static WeftException datasetNotFound(String id) {
        return new WeftException("dataset_not_found", "no knowledge base " + id + " in this workspace");
    }

    private static WeftException documentNotFound(String id) {
        return new WeftException("document_not_found", "no document " + id + " in this knowledge base");
    }

    private Bound bound() {
        Bound bound = knowledge;
        if (bound == null) {
            throw new ServiceUnavailableException("The knowledge service is not ready yet.", 1L);
        }
        return bound;
    }

    private KnowledgeAdministration admin() {
        return bound().admin();
    }

    private String workspace() {
        return dev.weft.web.internal.auth.Callers.workspace(security);
    }
}
