package dev.weft.web.internal.apps;

import dev.weft.platform.security.ApiKey;
import dev.weft.platform.security.NewApiKey;
import dev.weft.platform.security.Role;
import dev.weft.platform.store.AppRecord;
import dev.weft.platform.store.AppRepository;
import dev.weft.platform.store.AppVersionRecord;
import dev.weft.web.internal.auth.Caller;
import dev.weft.web.internal.auth.Callers;
import dev.weft.web.internal.auth.Guard;
import dev.weft.web.internal.auth.Requires;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code /console/api/apps/{id}/...}: publishing an app's draft as an immutable version, its
 * version history and restoring a version into the draft, and the app's API keys (shown once,
 * stored hashed, revocable).
 */
@Component(service = PublishingResource.class)
@JakartarsResource
@Path("/console/api/apps")
@Produces(MediaType.APPLICATION_JSON)
public final class PublishingResource {

    private final AppRepository apps;
    private final Guard guard;

    @Context
    SecurityContext security;

    @org.osgi.service.component.annotations.Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    volatile dev.weft.web.internal.service.ServiceApps service;

    @Activate
    public PublishingResource(@Reference AppRepository apps, @Reference Guard guard) {
        this.apps = apps;
        this.guard = guard;
    }

    /** A publication's optional name: {@code {"marked_name": "v2 with retrieval"}}. */
    public record Publication(String markedName) {
    }

    @POST
    @Path("{appId}/publish")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> publish(@PathParam("appId") String appId, Publication body) {
        Caller caller = Callers.of(security);
        AppVersionRecord version = apps.publish(caller.workspaceId(), appId,
                body == null || body.markedName() == null ? "" : body.markedName(), caller.accountId())
                .orElseThrow(() -> new NotFoundException("No such app."));
        dev.weft.web.internal.service.ServiceApps serving = service;
        if (serving != null) {
            serving.forget(caller.workspaceId(), appId);
        }
        Map<String, Object> answer = version(version);
        answer.put("result", "success");
        return answer;
    }

    @GET
    @Path("{appId}/versions")
    public Map<String, Object> versions(@PathParam("appId") String appId) {
        Caller caller = Callers.of(security);
        app(caller, appId);
        String current = apps.published(caller.workspaceId(), appId).map(AppVersionRecord::id).orElse(null);
        List<Map<String, Object>> data = apps.versions(caller.workspaceId(), appId).stream().map(v -> {
            Map<String, Object> item = version(v);
            item.put("current", v.id().equals(current));
            return item;
        }).toList();
        return Map.of("data", data);
    }

    @POST
    @Path("{appId}/versions/{versionId}/restore")
    public Map<String, Object> restore(@PathParam("appId") String appId, @PathParam("versionId") String versionId) {
        Caller caller = Callers.of(security);
        AppRecord app = apps.restore(caller.workspaceId(), appId, versionId)
                .orElseThrow(() -> new NotFoundException("No such app version."));
        return Map.of("result", "success", "app_id", app.id(), "updated_at", app.updatedAt().getEpochSecond());
    }

    @GET
    @Path("{appId}/api-keys")
    @Requires(Role.ADMIN)
    public Map<String, Object> keys(@PathParam("appId") String appId) {
        Caller caller = Callers.of(security);
        app(caller, appId);
        return Map.of("data", guard.apiKeys().list(caller.workspaceId(), ApiKey.APP, appId).stream()
                .map(PublishingResource::key).toList());
    }

    /** Creates a key: the only answer that ever shows it. */
    @POST
    @Path("{appId}/api-keys")
    @Requires(Role.ADMIN)
    public Response createKey(@PathParam("appId") String appId) {
        Caller caller = Callers.of(security);
        app(caller, appId);
        NewApiKey created = guard.apiKeys().create(caller.workspaceId(), ApiKey.APP, appId, caller.accountId());
        Map<String, Object> answer = key(created.key());
        answer.put("token", created.token());
        return Response.status(201).entity(answer).build();
    }

    @DELETE
    @Path("{appId}/api-keys/{keyId}")
    @Requires(Role.ADMIN)
    public Response revokeKey(@PathParam("appId") String appId, @PathParam("keyId") String keyId) {
        Caller caller = Callers.of(security);
        app(caller, appId);
        boolean ofThisApp = guard.apiKeys().list(caller.workspaceId(), ApiKey.APP, appId).stream()
                .anyMatch(k -> k.id().equals(keyId));
        if (!ofThisApp || !guard.apiKeys().revoke(caller.workspaceId(), keyId)) {
            throw new NotFoundException("No such API key.");
        }
        return Response.noContent().build();
    }

    public static Map<String, Object> key(ApiKey key) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", key.id());
        json.put("type", key.kind());
        json.put("token", key.hint());
        json.put("last_used_at", key.lastUsedAt() == null ? null : key.lastUsedAt().getEpochSecond());
        json.put("created_at", key.createdAt() == null ? null : key.createdAt().getEpochSecond());
        return json;
    }

    private static Map<String, Object> version(AppVersionRecord version) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", version.id());
        json.put("version", version.version());
        json.put("marked_name", version.markedName());
        json.put("name", version.name());
        json.put("mode", version.mode());
        json.put("created_by", version.createdBy());
        json.put("created_at", version.createdAt() == null ? null : version.createdAt().getEpochSecond());
        return json;
    }

    private AppRecord app(Caller caller, String appId) {
        return apps.find(caller.workspaceId(), appId).orElseThrow(() -> new NotFoundException("No such app."));
    }
}
