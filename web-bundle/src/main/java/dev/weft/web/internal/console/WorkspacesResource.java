package dev.weft.web.internal.console;

import dev.weft.api.core.ValidationException;
import dev.weft.platform.security.Accounts;
import dev.weft.platform.security.Invitation;
import dev.weft.platform.security.Member;
import dev.weft.platform.security.Membership;
import dev.weft.platform.security.Role;
import dev.weft.platform.security.Session;
import dev.weft.platform.store.Workspace;
import dev.weft.platform.store.WorkspaceRepository;
import dev.weft.web.internal.auth.AuthFilter;
import dev.weft.web.internal.auth.Caller;
import dev.weft.web.internal.auth.Callers;
import dev.weft.web.internal.auth.Guard;
import dev.weft.web.internal.auth.Requires;
import dev.weft.web.internal.console.Representations.WorkspaceInfo;
import dev.weft.web.internal.console.Representations.WorkspaceJson;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code /console/api/workspaces}: the signed-in account's workspaces, the current one, switching
 * between them, and the current workspace's members and invitations. A workspace the account is
 * not a member of answers 404, as a random id does.
 */
@Component(service = WorkspacesResource.class)
@JakartarsResource
@Path("/console/api/workspaces")
@Produces(MediaType.APPLICATION_JSON)
public final class WorkspacesResource {

    /** Optional, so that the route exists (answering 503) while the store is still opening. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile WorkspaceRepository workspaces;

    private final Guard guard;

    @Context
    SecurityContext security;

    @Activate
    public WorkspacesResource(@Reference Guard guard) {
        this.guard = guard;
    }

    /** The account's workspaces, each with the account's role there and whether it is the current one. */
    @GET
    public Map<String, Object> list() {
        Caller caller = Callers.of(security);
        List<Map<String, Object>> data = new ArrayList<>();
        for (Membership membership : guard.accounts().memberships(caller.accountId())) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", membership.workspaceId());
            item.put("name", membership.workspaceName());
            item.put("role", membership.role().wireName());
            item.put("current", membership.workspaceId().equals(caller.workspaceId()));
            store().find(membership.workspaceId()).ifPresent(w -> item.put("created_at", w.createdAt().getEpochSecond()));
            data.add(item);
        }
        return Map.of("workspaces", data);
    }

    /** The body of a new workspace. */
    public record NewWorkspace(String name) {
    }

    /** Creates a workspace whose owner is the signed-in account. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Role.NORMAL)
    public WorkspaceJson create(NewWorkspace body) {
        if (body == null || body.name() == null || body.name().isBlank()) {
            throw ValidationException.of("/name", "a workspace needs a name");
        }
        return json(guard.accounts().createWorkspace(Callers.of(security).accountId(), body.name()));
    }

    /** The body of a switch: {@code {"workspace_id": ...}}. */
    public record Switch(String workspaceId) {
    }

    /** Makes another of the account's workspaces the session's current one. */
    @POST
    @Path("switch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Role.NORMAL)
    public Map<String, Object> switchTo(Switch body, @CookieParam(AuthFilter.SESSION_COOKIE) String token) {
        if (body == null || body.workspaceId() == null) {
            throw ValidationException.of("/workspace_id", "the workspace is required");
        }
        Session session = guard.accounts().switchWorkspace(token, body.workspaceId())
                .orElseThrow(() -> new NotFoundException("No such workspace."));
        return Map.of("result", "success", "workspace_id", session.workspaceId(), "role", session.role().wireName());
    }

    @GET
    @Path("current")
    public WorkspaceJson current() {
        return json(store().find(Callers.workspace(security))
                .orElseThrow(() -> new NotFoundException("The workspace no longer exists.")));
    }

    /** Renames the current workspace: {@code {"name": "..."}}. */
    @POST
    @Path("info")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Role.ADMIN)
    public WorkspaceJson rename(WorkspaceInfo info) {
        if (info == null) {
            throw new BadRequestException("A JSON body {\"name\": ...} is required.");
        }
        return store().rename(Callers.workspace(security), info.name()).map(WorkspacesResource::json)
                .orElseThrow(() -> new NotFoundException("The workspace no longer exists."));
    }

    /** The current workspace's members. */
    @GET
    @Path("current/members")
    public Map<String, Object> members() {
        List<Map<String, Object>> data = new ArrayList<>();
        for (Member member : guard.accounts().members(Callers.workspace(security))) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", member.accountId());
            item.put("email", member.email());
            item.put("name", member.name());
            item.put("role", member.role().wireName());
            item.put("created_at", member.joinedAt() == null ? null : member.joinedAt().getEpochSecond());
            data.add(item);
        }
        return Map.of("accounts", data);
    }

    /** Dify's invitation body: {@code {"emails": [...], "role": "editor"}}. */
    public record Invite(List<String> emails, String role) {
    }

    /**
     * Invites people by email. Each invitation's token is answered this once (Weft sends no mail:
     * the inviter passes the activation token on).
     */
    @POST
    @Path("current/members/invite-email")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Role.ADMIN)
    public Map<String, Object> invite(Invite body) {
        if (body == null || body.emails() == null || body.emails().isEmpty()) {
            throw ValidationException.of("/emails", "at least one email is required");
        }
        Role role = Role.of(body.role()).filter(r -> r != Role.OWNER)
                .orElseThrow(() -> ValidationException.of("/role", "the role must be admin, editor or normal"));
        Caller caller = Callers.of(security);
        Accounts accounts = guard.accounts();
        List<Map<String, Object>> results = new ArrayList<>();
        for (String email : body.emails()) {
            Invitation invitation = accounts.invite(caller.workspaceId(), email, role, caller.accountId());
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("status", "success");
            item.put("email", invitation.email());
            item.put("token", invitation.token());
            item.put("expires_at", invitation.expiresAt().getEpochSecond());
            results.add(item);
        }
        return Map.of("result", "success", "invitation_results", results);
    }

    /** The body of a role change. */
    public record RoleChange(String role) {
    }

    /** Changes a member's role; only an owner makes or unmakes owners. */
    @PUT
    @Path("current/members/{accountId}/update-role")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Role.ADMIN)
    public Map<String, Object> changeRole(@PathParam("accountId") String accountId, RoleChange body) {
        Role role = Role.of(body == null ? null : body.role())
                .orElseThrow(() -> ValidationException.of("/role", "the role must be owner, admin, editor or normal"));
        Caller caller = Callers.of(security);
        Accounts accounts = guard.accounts();
        Role current = accounts.role(caller.workspaceId(), accountId)
                .orElseThrow(() -> new NotFoundException("No such member."));
        if ((role == Role.OWNER || current == Role.OWNER) && caller.role() != Role.OWNER) {
            throw new ForbiddenException("Only an owner can make or unmake owners.");
        }
        if (!accounts.changeRole(caller.workspaceId(), accountId, role)) {
            throw new NotFoundException("No such member.");
        }
        return Map.of("result", "success");
    }

    /** Removes a member; only an owner removes an owner. */
    @DELETE
    @Path("current/members/{accountId}")
    @Requires(Role.ADMIN)
    public Map<String, Object> remove(@PathParam("accountId") String accountId) {
        Caller caller = Callers.of(security);
        Accounts accounts = guard.accounts();
        Role current = accounts.role(caller.workspaceId(), accountId)
                .orElseThrow(() -> new NotFoundException("No such member."));
        if (current == Role.OWNER && caller.role() != Role.OWNER) {
            throw new ForbiddenException("Only an owner can remove an owner.");
        }
        if (!accounts.removeMember(caller.workspaceId(), accountId)) {
            throw new NotFoundException("No such member.");
        }
        return Map.of("result", "success");
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
