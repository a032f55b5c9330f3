package dev.weft.web.internal.console;

import dev.weft.platform.store.Workspace;
import dev.weft.platform.store.WorkspaceRepository;
import dev.weft.web.internal.console.Representations.WorkspaceInfo;
import dev.weft.web.internal.console.Representations.WorkspaceJson;
import dev.weft.web.internal.console.Representations.WorkspaceList;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code /console/api/workspaces}: the workspaces, and the current one. Until accounts exist the
 * current workspace is the default one.
 */
@Component(service = WorkspacesResource.class)
@JakartarsResource
@Path("/console/api/workspaces")
@Produces(MediaType.APPLICATION_JSON)
public final class WorkspacesResource {

    /** Optional, so that the route exists (answering 503) while the store is still opening. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile WorkspaceRepository workspaces;

    @GET
    public WorkspaceList list() {
        return new WorkspaceList(store().list().stream().map(WorkspacesResource::json).toList());
    }

    @GET
    @Path("current")
    public WorkspaceJson current() {
        return json(store().defaultWorkspace());
    }

    /** Renames the current workspace: {@code {"name": "..."}}. */
    @POST
    @Path("info")
    @Consumes(MediaType.APPLICATION_JSON)
    public WorkspaceJson rename(WorkspaceInfo info) {
        if (info == null) {
            throw new BadRequestException("A JSON body {\"name\": ...} is required.");
        }
        WorkspaceRepository store = store();
        return store.rename(store.defaultWorkspace().id(), info.name()).map(WorkspacesResource::json)
                .orElseThrow(() -> new NotFoundException("The workspace no longer exists."));
    }

    private WorkspaceRepository store() {
        WorkspaceRepository store = workspaces;
        if (store == null) {
            throw new ServiceUnavailableException("The store is not ready yet.", 1L);
        }
        return store;
    }

    static WorkspaceJson json(Workspace workspace) {
        return new WorkspaceJson(workspace.id(), workspace.name(), workspace.createdAt().getEpochSecond());
    }
}
