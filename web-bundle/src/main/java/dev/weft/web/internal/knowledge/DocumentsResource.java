package dev.weft.web.internal.knowledge;

import dev.weft.api.core.WeftException;
import dev.weft.platform.knowledge.KnowledgeAdministration;
import dev.weft.platform.store.KnowledgeRepository.Document;
import dev.weft.platform.store.KnowledgeRepository.KnowledgeBase;
import dev.weft.platform.store.KnowledgeRepository.Segment;
import dev.weft.web.internal.json.Json;
import dev.weft.web.internal.knowledge.KnowledgeResource.MetadataBody;
import dev.weft.web.internal.knowledge.KnowledgeResource.MetadataItem;
import dev.weft.web.internal.knowledge.KnowledgeResource.SegmentBody;
import dev.weft.web.internal.knowledge.KnowledgeResource.TextDocumentBody;
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
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /console/api/datasets/{id}/documents...}: the documents of a knowledge base of the caller's
 * workspace (added from text or from an uploaded file), their indexing, metadata and chunks, in the
 * shapes of Dify's console and service APIs.
 */
@Component(service = DocumentsResource.class)
@JakartarsResource
@Path("/console/api/datasets")
@Produces(MediaType.APPLICATION_JSON)
public final class DocumentsResource {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentsResource.class);

    @jakarta.ws.rs.core.Context
    jakarta.ws.rs.core.SecurityContext security;

    private final KnowledgeResource datasets;

    @org.osgi.service.component.annotations.Activate
    public DocumentsResource(@Reference KnowledgeResource datasets) {
        this.datasets = datasets;
    }


    @GET
    @Path("{id}/documents")
    public Map<String, Object> documents(@PathParam("id") String id, @QueryParam("page") String page,
            @QueryParam("limit") String limit, @QueryParam("keyword") String keyword) {
        int p = KnowledgeResource.number("page", page, 1, 1, 1_000_000);
        int size = KnowledgeResource.number("limit", limit, 20, 1, 100);
        String workspace = workspace();
        KnowledgeBase base = datasets.base(workspace, id);
        String wanted = keyword == null || keyword.isBlank() ? null : keyword.strip();
        List<Document> documents = datasets.admin().documents(workspace, id, wanted, p, size);
        List<Map<String, Object>> data = documents.stream().map(d -> Shapes.document(d, base)).toList();
        long seen = (long) (p - 1) * size + documents.size();
        long total;
        boolean more;
        if (wanted == null) {
            total = datasets.counts(workspace, id).documents();
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
            throw KnowledgeResource.invalid("a JSON body {name, text} is required");
        }
        if (body.name() == null || body.name().isBlank()) {
            throw KnowledgeResource.invalid("name is required");
        }
        String workspace = workspace();
        KnowledgeAdministration admin = datasets.admin();
        Document document = admin.addText(workspace, id, body.name(), body.text(), body.metadata());
        return created(document, datasets.base(workspace, id));
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
        // one binding for the whole upload: its limit and the service that takes the file
        KnowledgeResource.Bound bound = datasets.bound();
        long maxUpload = bound.maxUploadBytes();
        KnowledgeBase base = datasets.base(workspace, id);
        String boundary = boundary(contentType);
        MultipartReader reader = new MultipartReader(body == null ? InputStream.nullInputStream() : body, boundary,
                maxUpload);
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
                    throw KnowledgeResource.invalid(file ? "an upload carries one file" : "the data part must come once");
                }
                if (file) {
                    if (spooled != null) {
                        throw KnowledgeResource.invalid("an upload carries one file");
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
                        throw KnowledgeResource.invalid("the data part must come once");
                    }
                    dataSeen = true;
                    metadata = data(part.body());
                }
                // other fields are Dify's (indexing_technique, process_rule...): not Weft's to use per document
            }
            if (added == null && spooled == null) {
                throw KnowledgeResource.invalid("the upload has no file part (the field is named file)");
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
        KnowledgeBase base = datasets.base(workspace, id);
        return Shapes.document(document(workspace, base, doc), base);
    }

    @DELETE
    @Path("{id}/documents/{doc}")
    public Response deleteDocument(@PathParam("id") String id, @PathParam("doc") String doc) {
        String workspace = workspace();
        KnowledgeAdministration admin = datasets.admin();
        document(workspace, datasets.base(workspace, id), doc);
        if (!admin.deleteDocument(workspace, doc)) {
            throw KnowledgeResource.documentNotFound(doc);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/documents/{doc}/indexing-status")
    public Map<String, Object> indexingStatus(@PathParam("id") String id, @PathParam("doc") String doc) {
        String workspace = workspace();
        return Shapes.indexingStatus(document(workspace, datasets.base(workspace, id), doc));
    }

    /** Takes a document out of search ({@code disable}) or puts it back ({@code enable}). */
    @PATCH
    @Path("{id}/documents/{doc}/status/{action}")
    public Map<String, Object> status(@PathParam("id") String id, @PathParam("doc") String doc,
            @PathParam("action") String action) {
        boolean enable = switch (action) {
            case "enable" -> true;
            case "disable" -> false;
            default -> throw KnowledgeResource.invalid("the action must be enable or disable");
        };
        String workspace = workspace();
        KnowledgeAdministration admin = datasets.admin();
        KnowledgeBase base = datasets.base(workspace, id);
        document(workspace, base, doc);
        return success(Shapes.document(admin.enable(workspace, doc, enable), base));
    }

    /** Queues a document for ingestion again: a failed one, or one whose base's rules changed. */
    @POST
    @Path("{id}/documents/{doc}/reindex")
    public Map<String, Object> reindex(@PathParam("id") String id, @PathParam("doc") String doc) {
        String workspace = workspace();
        KnowledgeAdministration admin = datasets.admin();
        KnowledgeBase base = datasets.base(workspace, id);
        document(workspace, base, doc);
        return success(Shapes.document(admin.reindex(workspace, doc), base));
    }

    @PUT
    @Path("{id}/documents/{doc}/metadata")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> metadata(@PathParam("id") String id, @PathParam("doc") String doc, MetadataBody body) {
        if (body == null || (body.metadata() == null && body.metadataList() == null)) {
            throw KnowledgeResource.invalid("a JSON body {\"metadata\": {...}} is required");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (body.metadata() != null) {
            metadata.putAll(body.metadata());
        }
        if (body.metadataList() != null) {
            for (MetadataItem item : body.metadataList()) {
                String name = item == null ? null : (item.name() != null ? item.name() : item.id());
                if (name == null || name.isBlank()) {
                    throw KnowledgeResource.invalid("each item of metadata_list needs a name");
                }
                metadata.put(name, item.value());
            }
        }
        String workspace = workspace();
        KnowledgeAdministration admin = datasets.admin();
        KnowledgeBase base = datasets.base(workspace, id);
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
        int p = KnowledgeResource.number("page", page, 1, 1, 1_000_000);
        int size = KnowledgeResource.number("limit", limit, 20, 1, 100);
        Boolean wantEnabled = switch (enabled == null ? "all" : enabled.strip().toLowerCase(Locale.ROOT)) {
            case "", "all" -> null;
            case "true" -> true;
            case "false" -> false;
            default -> throw KnowledgeResource.invalid("enabled must be all, true or false");
        };
        String wanted = keyword == null || keyword.isBlank() ? null : keyword.strip().toLowerCase(Locale.ROOT);
        String workspace = workspace();
        KnowledgeAdministration admin = datasets.admin();
        KnowledgeBase base = datasets.base(workspace, id);
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
            throw KnowledgeResource.invalid("a JSON body {content, enabled} is required");
        }
        String content = body.segment() != null && body.segment().content() != null ? body.segment().content() : body.content();
        Boolean enabled = body.segment() != null && body.segment().enabled() != null ? body.segment().enabled() : body.enabled();
        if (content == null && enabled == null) {
            throw KnowledgeResource.invalid("content or enabled is required");
        }
        String workspace = workspace();
        KnowledgeAdministration admin = datasets.admin();
        KnowledgeBase base = datasets.base(workspace, id);
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
            datasets.admin().deleteDocument(workspace, document.id());
        } catch (RuntimeException e) {
            LOG.warn("Document {} of a refused upload could not be removed: {}", document.id(), e.getMessage());
        }
    }

    /** The {@code data} part: a JSON object of at most 1 MiB. */
    private static Map<String, Object> data(InputStream part) throws IOException {
        byte[] bytes = part.readNBytes((int) KnowledgeResource.UPLOAD_OVERHEAD_BYTES + 1);
        if (bytes.length > KnowledgeResource.UPLOAD_OVERHEAD_BYTES) {
            throw KnowledgeResource.invalid("the data part is larger than 1 MiB");
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return null;
        }
        try {
            KnowledgeResource.FileDataBody data = Json.mapper().readValue(text, KnowledgeResource.FileDataBody.class);
            return data == null ? null : data.metadata();
        } catch (IOException e) {
            throw KnowledgeResource.invalid("the data part must be a JSON object such as {\"metadata\": {...}}");
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
        throw KnowledgeResource.invalid("the upload must be multipart/form-data with a boundary");
    }

    /** A document of the base; one of another base answers as unknown. */
    private Document document(String workspace, KnowledgeBase base, String doc) {
        return datasets.admin().document(workspace, doc).filter(d -> Objects.equals(d.knowledgeBaseId(), base.id()))
                .orElseThrow(() -> KnowledgeResource.documentNotFound(doc));
    }

    private String workspace() {
        return dev.weft.web.internal.auth.Callers.workspace(security);
    }
}
