package dev.weft.web.internal.knowledge;

import dev.weft.platform.security.ApiKey;
import dev.weft.platform.security.NewApiKey;
import dev.weft.platform.security.Role;
import dev.weft.web.internal.apps.PublishingResource;
import dev.weft.web.internal.auth.Callers;
import dev.weft.web.internal.auth.Guard;
import dev.weft.web.internal.auth.Requires;
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
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code /console/api/datasets/api-keys}: the workspace's knowledge API keys ({@code dataset-...}),
 * shown once, stored hashed, revocable; owners and admins only.
 */
@Component(service = DatasetKeysResource.class)
@JakartarsResource
@Path("/console/api/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Requires(Role.ADMIN)
public final class DatasetKeysResource {

    private final Guard guard;

    @Context
    SecurityContext security;

    @Activate
    public DatasetKeysResource(@Reference Guard guard) {
        this.guard = guard;
    }

    @GET
    @Path("api-keys")
    public Map<String, Object> keys() {
        return Map.of("data", guard.apiKeys().list(Callers.workspace(security), ApiKey.DATASET, null).stream()
                .map(PublishingResource::key).toList());
    }

    @POST
    @Path("api-keys")
    public Response create() {
        NewApiKey created = guard.apiKeys().create(Callers.workspace(security), ApiKey.DATASET, null,
                Callers.of(security).accountId());
        Map<String, Object> answer = new java.util.LinkedHashMap<>(PublishingResource.key(created.key()));
        answer.put("token", created.token());
        return Response.status(201).entity(answer).build();
    }

    @DELETE
    @Path("api-keys/{keyId}")
    public Response revoke(@PathParam("keyId") String keyId) {
        String workspace = Callers.workspace(security);
        boolean dataset = guard.apiKeys().list(workspace, ApiKey.DATASET, null).stream().anyMatch(k -> k.id().equals(keyId));
        if (!dataset || !guard.apiKeys().revoke(workspace, keyId)) {
            throw new NotFoundException("No such API key.");
        }
        return Response.noContent().build();
    }
}
