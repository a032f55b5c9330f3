package dev.weft.web.internal.service;

import dev.weft.platform.store.AnnotationRepository;
import dev.weft.web.internal.apps.OperationsResource;
import dev.weft.web.internal.auth.Access;
import dev.weft.web.internal.auth.Caller;
import dev.weft.web.internal.auth.Callers;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * The service API's annotations under {@code /v1/apps} with an app key: list, create, update and
 * delete the app's annotations, and turn annotation reply on or off (Dify's job answer, already
 * completed: the setting takes effect at once).
 */
@Component(service = ServiceAnnotationsResource.class)
@JakartarsResource
@Path("/v1")
@Access(Access.Kind.APP_KEY)
@Produces(MediaType.APPLICATION_JSON)
public final class ServiceAnnotationsResource {

    private final AnnotationRepository annotations;

    @Context
    SecurityContext security;

    @org.osgi.service.component.annotations.Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    volatile dev.weft.web.internal.service.AnnotationReplies replies;

    @Activate
    public ServiceAnnotationsResource(@Reference AnnotationRepository annotations) {
        this.annotations = annotations;
    }

    @GET
    @Path("apps/annotations")
    public Map<String, Object> list(@QueryParam("page") Integer page, @QueryParam("limit") Integer limit,
            @QueryParam("keyword") String keyword) {
        Caller caller = Callers.of(security);
        return OperationsResource.annotationPage(annotations, caller.workspaceId(), caller.appId(), page, limit, keyword);
    }

    @POST
    @Path("apps/annotations")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(OperationsResource.AnnotationBody body) {
        Caller caller = Callers.of(security);
        OperationsResource.AnnotationBody checked = OperationsResource.checked(body);
        return Response.ok(OperationsResource.annotation(annotations.create(caller.workspaceId(), caller.appId(),
                checked.question(), checked.answer()))).build();
    }

    @PUT
    @Path("apps/annotations/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(@PathParam("id") String id, OperationsResource.AnnotationBody body) {
        Caller caller = Callers.of(security);
        OperationsResource.AnnotationBody checked = OperationsResource.checked(body);
        return OperationsResource.annotation(annotations.update(caller.workspaceId(), caller.appId(), id,
                checked.question(), checked.answer()).orElseThrow(() -> ServiceError.notFound("Annotation not found.")));
    }

    @DELETE
    @Path("apps/annotations/{id}")
    public Response delete(@PathParam("id") String id) {
        Caller caller = Callers.of(security);
        if (!annotations.delete(caller.workspaceId(), caller.appId(), id)) {
            throw ServiceError.notFound("Annotation not found.");
        }
        return Response.noContent().build();
    }

    @POST
    @Path("apps/annotation-reply/{action: enable|disable}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> reply(@PathParam("action") String action, OperationsResource.ReplySetting body) {
        Caller caller = Callers.of(security);
        Map<String, Object> answer = OperationsResource.saveReply(annotations, caller.workspaceId(), caller.appId(),
                action, body);
        AnnotationReplies known = replies;
        if (known != null) {
            known.forget(caller.workspaceId(), caller.appId());
        }
        return answer;
    }

    @GET
    @Path("apps/annotation-reply/{action: enable|disable}/status/{jobId}")
    public Map<String, Object> replyStatus(@PathParam("action") String action, @PathParam("jobId") String jobId) {
        Callers.of(security);
        return Map.of("job_id", jobId, "job_status", "completed", "error_msg", "");
    }
}
