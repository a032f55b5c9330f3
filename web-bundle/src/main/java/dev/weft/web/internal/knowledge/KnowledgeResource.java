package dev.weft.web.internal.knowledge;

import dev.weft.api.core.WeftException;
import dev.weft.api.rag.RetrievedChunk;
import dev.weft.platform.knowledge.KnowledgeAdministration;
import dev.weft.platform.knowledge.KnowledgeAdministration.NewKnowledgeBase;
import dev.weft.platform.store.KnowledgeRepository;
import dev.weft.platform.store.KnowledgeRepository.Counts;
import dev.weft.platform.store.KnowledgeRepository.KnowledgeBase;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /console/api/datasets}: the knowledge bases of the caller's workspace and their hit
 * testing, in the shapes of Dify's console and service APIs; their documents and chunks are
 * {@link DocumentsResource}'s. Binds the knowledge service for both.
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
    record Bound(KnowledgeAdministration admin, long maxUploadBytes) {
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

    KnowledgeBase base(String workspace, String id) {
        return admin().base(workspace, id).orElseThrow(() -> datasetNotFound(id));
    }

    Counts counts(String workspace, String id) {
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

    static int number(String name, String value, int fallback, int min, int max) {
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

    static WeftException invalid(String message) {
        return new WeftException("invalid_param", message);
    }

    private static WeftException datasetNotFound(String id) {
        return new WeftException("dataset_not_found", "no knowledge base " + id + " in this workspace");
    }

    static WeftException documentNotFound(String id) {
        return new WeftException("document_not_found", "no document " + id + " in this knowledge base");
    }

    /** The knowledge service as bound now, with the largest upload it takes (read once per request). */
    Bound bound() {
        Bound bound = knowledge;
        if (bound == null) {
            throw new ServiceUnavailableException("The knowledge service is not ready yet.", 1L);
        }
        return bound;
    }

    KnowledgeAdministration admin() {
        return bound().admin();
    }

    private String workspace() {
        return dev.weft.web.internal.auth.Callers.workspace(security);
    }
}
