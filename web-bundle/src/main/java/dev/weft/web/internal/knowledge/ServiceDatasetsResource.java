package dev.weft.web.internal.knowledge;

import dev.weft.web.internal.auth.Access;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * Dify's knowledge API under {@code /v1/datasets}, with a {@code dataset-...} key: the same
 * knowledge bases, documents, chunks and retrieval as the console's, scoped to the key's
 * workspace, with errors in Dify's {@code {code, message, status}}. {@code retrieve} is the
 * console's hit testing; a document's id is its indexing batch.
 */
@Component(service = ServiceDatasetsResource.class)
@JakartarsResource
@Path("/v1/datasets")
@Access(Access.Kind.DATASET_KEY)
@Produces(MediaType.APPLICATION_JSON)
public final class ServiceDatasetsResource {

    private final KnowledgeResource knowledge;
    private final DocumentsResource documents;

    @Activate
    public ServiceDatasetsResource(@Reference KnowledgeResource knowledge, @Reference DocumentsResource documents) {
        this.knowledge = knowledge;
        this.documents = documents;
    }

    @GET
    public Map<String, Object> list(@QueryParam("page") String page, @QueryParam("limit") String limit,
            @QueryParam("keyword") String keyword) {
        return knowledge.list(page, limit, keyword);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(KnowledgeResource.DatasetBody body) {
        return knowledge.create(body);
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return knowledge.get(id);
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(@PathParam("id") String id, KnowledgeResource.DatasetBody body) {
        return knowledge.update(id, body);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        return knowledge.delete(id);
    }

    @POST
    @Path("{id}/{path: document/create-by-text|document/create_by_text}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> createByText(@PathParam("id") String id, KnowledgeResource.TextDocumentBody body) {
        return documents.createByText(id, body);
    }

    @POST
    @Path("{id}/{path: document/create-by-file|document/create_by_file}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Map<String, Object> createByFile(@PathParam("id") String id,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) throws IOException {
        return documents.createByFile(id, contentType, body);
    }

    @GET
    @Path("{id}/documents")
    public Map<String, Object> documents(@PathParam("id") String id, @QueryParam("page") String page,
            @QueryParam("limit") String limit, @QueryParam("keyword") String keyword) {
        return documents.documents(id, page, limit, keyword);
    }

    @GET
    @Path("{id}/documents/{doc}")
    public Map<String, Object> document(@PathParam("id") String id, @PathParam("doc") String doc) {
        return documents.document(id, doc);
    }

    @DELETE
    @Path("{id}/documents/{doc}")
    public Response deleteDocument(@PathParam("id") String id, @PathParam("doc") String doc) {
        return documents.deleteDocument(id, doc);
    }

    /**
     * Dify's indexing status of a batch (the documents one request added) or of one document:
     * {@code {data: [{id, indexing_status: waiting|parsing|cleaning|splitting|indexing|completed|error, ...}]}}.
     */
    @GET
    @Path("{id}/documents/{batch}/indexing-status")
    public Map<String, Object> indexingStatus(@PathParam("id") String id, @PathParam("batch") String batch) {
        java.util.List<Map<String, Object>> data = new java.util.ArrayList<>();
        java.util.List<String> ids = new java.util.ArrayList<>();
        try {
            // a document's own id: one lookup, no listing
            Map<String, Object> status = new java.util.LinkedHashMap<>(documents.indexingStatus(id, batch));
            status.put("indexing_status", status.get("display_status"));
            return Map.of("data", java.util.List.of(status));
        } catch (dev.weft.api.core.WeftException | jakarta.ws.rs.NotFoundException e) {
            // not a document id: a batch, found among the base's documents below
        }
        for (int page = 1; page <= 100; page++) {
            Map<String, Object> listed = documents.documents(id, String.valueOf(page), "100", null);
            if (!(listed.get("data") instanceof java.util.List<?> items) || items.isEmpty()) {
                break;
            }
            for (Object item : items) {
                if (item instanceof Map<?, ?> document && (batch.equals(document.get("batch")) || batch.equals(document.get("id")))) {
                    ids.add(String.valueOf(document.get("id")));
                }
            }
            if (!Boolean.TRUE.equals(listed.get("has_more"))) {
                break;
            }
        }
        if (ids.isEmpty()) {
            throw new dev.weft.api.core.WeftException("document_not_found", "No such batch or document.");
        }
        for (String document : ids) {
            Map<String, Object> status = new java.util.LinkedHashMap<>(documents.indexingStatus(id, document));
            status.put("indexing_status", status.get("display_status"));
            data.add(status);
        }
        return Map.of("data", data);
    }

    @GET
    @Path("{id}/documents/{doc}/segments")
    public Map<String, Object> segments(@PathParam("id") String id, @PathParam("doc") String doc,
            @QueryParam("page") String page, @QueryParam("limit") String limit, @QueryParam("keyword") String keyword,
            @QueryParam("enabled") String enabled) {
        return documents.segments(id, doc, page, limit, keyword, enabled);
    }

    /** Dify updates a chunk with POST {@code {"segment": {content, enabled}}}. */
    @POST
    @Path("{id}/documents/{doc}/segments/{seg}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> updateSegment(@PathParam("id") String id, @PathParam("doc") String doc,
            @PathParam("seg") String seg, KnowledgeResource.SegmentBody body) {
        return documents.updateSegment(id, doc, seg, body);
    }

    @POST
    @Path("{id}/retrieve")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> retrieve(@PathParam("id") String id, KnowledgeResource.HitTestingBody body) {
        return knowledge.hitTesting(id, body);
    }
}
