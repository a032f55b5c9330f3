package dev.weft.web.internal.operator;

import dev.weft.api.core.ValidationException;
import dev.weft.platform.engine.AppDefinition;
import dev.weft.platform.engine.DslImport;
import dev.weft.platform.engine.DslService;
import dev.weft.platform.engine.Issue;
import dev.weft.platform.security.ApiKey;
import dev.weft.platform.security.NewApiKey;
import dev.weft.platform.store.AppRecord;
import dev.weft.platform.store.AppRepository;
import dev.weft.platform.store.AppVersionRecord;
import dev.weft.platform.store.Workspace;
import dev.weft.platform.store.WorkspaceRepository;
import dev.weft.web.internal.auth.Access;
import dev.weft.web.internal.auth.Guard;
import dev.weft.web.internal.json.Json;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code /console/api/operator}: what operator commands ask of the running server, with the
 * operator token of {@code WEFT_HOME/conf/operator.token}. {@code bin/weft app deploy} imports or
 * updates an app from a DSL file, publishes it, and creates a key when the app has none or one is
 * asked for.
 */
@Component(service = OperatorResource.class)
@JakartarsResource
@Path("/console/api/operator")
@Access(Access.Kind.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
public final class OperatorResource {

    private final DslService dsl;
    private final AppRepository apps;
    private final WorkspaceRepository workspaces;
    private final Guard guard;

    @org.osgi.service.component.annotations.Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    volatile dev.weft.web.internal.service.ServiceApps service;

    @Activate
    public OperatorResource(@Reference DslService dsl, @Reference AppRepository apps,
            @Reference WorkspaceRepository workspaces, @Reference Guard guard) {
        this.dsl = dsl;
        this.apps = apps;
        this.workspaces = workspaces;
        this.guard = guard;
    }

    /**
     * A deployment.
     *
     * @param workspace the workspace's name; the default workspace when null
     * @param appId the app to update, by id or by name; when null, the workspace's one app with the
     *     file's name is updated, or a new app is created
     */
    public record Deployment(String yamlContent, String workspace, String appId, Boolean newKey) {
    }

    @POST
    @Path("apps/deploy")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> deploy(Deployment body) {
        if (body == null || body.yamlContent() == null || body.yamlContent().isBlank()) {
            throw ValidationException.of("/yaml_content", "the DSL file's content is required");
        }
        Workspace workspace = body.workspace() == null || body.workspace().isBlank() ? workspaces.defaultWorkspace()
                : workspaces.list().stream().filter(w -> w.name().equals(body.workspace().strip())).findFirst()
                        .orElseThrow(() -> new NotFoundException("No workspace is named '" + body.workspace() + "'."));
        DslImport result = dsl.read(body.yamlContent().getBytes(StandardCharsets.UTF_8));
        if (!result.imported()) {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", "about:blank");
            problem.put("title", "Unprocessable Content");
            problem.put("status", 422);
            problem.put("detail", result.errors().size() + " problem(s) stop the import");
            problem.put("code", "dsl_invalid");
            problem.put("issues", result.errors().stream().map(OperatorResource::issue).toList());
            throw new WebApplicationException(Response.status(422).type("application/problem+json").entity(problem).build());
        }
        AppDefinition app = result.app();
        String document = json(app.document());
        AppRecord target = target(workspace.id(), body.appId(), app.name());
        boolean created = target == null;
        if (created) {
            target = apps.create(workspace.id(), app.name(), app.mode(), app.description(), app.sourceVersion(), document);
        } else {
            if (!target.mode().equals(app.mode())) {
                throw ValidationException.of("/yaml_content", "the file is a " + app.mode() + " app and app "
                        + target.id() + " is a " + target.mode() + " app: deploy it as a new app");
            }
            String id = target.id();
            target = apps.update(workspace.id(), id, app.name(), app.mode(), app.description(), app.sourceVersion(),
                    document).orElseThrow(() -> new NotFoundException("No such app."));
        }
        AppVersionRecord version = apps.publish(workspace.id(), target.id(), "deployed by the operator", "operator")
                .orElseThrow(() -> new NotFoundException("No such app."));
        dev.weft.web.internal.service.ServiceApps serving = service;
        if (serving != null) {
            serving.forget(workspace.id(), target.id());
        }
        String key = "";
        boolean hasKey = !guard.apiKeys().list(workspace.id(), ApiKey.APP, target.id()).isEmpty();
        if (!hasKey || Boolean.TRUE.equals(body.newKey())) {
            NewApiKey made = guard.apiKeys().create(workspace.id(), ApiKey.APP, target.id(), null);
            key = made.token();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("app_id", target.id());
        answer.put("created", created);
        answer.put("workspace_id", workspace.id());
        answer.put("version", version.version());
        answer.put("version_id", version.id());
        answer.put("api_key", key);
        answer.put("warnings", result.warnings().size());
        return answer;
    }

    private AppRecord target(String workspaceId, String appId, String fileName) {
        if (appId != null && !appId.isBlank()) {
            return apps.find(workspaceId, appId.strip()).or(() -> single(workspaceId, appId.strip()))
                    .orElseThrow(() -> new NotFoundException("No app has the id or name '" + appId + "'."));
        }
        return single(workspaceId, fileName).orElse(null);
    }

    private java.util.Optional<AppRecord> single(String workspaceId, String name) {
        List<AppRecord> named = apps.list(workspaceId).stream().filter(a -> a.name().equals(name)).toList();
        if (named.size() > 1) {
            throw ValidationException.of("/app_id", named.size() + " apps are named '" + name
                    + "': name the one to update by its id");
        }
        return named.stream().findFirst();
    }

    private static Map<String, Object> issue(Issue issue) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("code", issue.code());
        item.put("message", issue.message());
        item.put("node_id", issue.nodeId());
        return item;
    }

    private static String json(Map<String, Object> document) {
        return Json.text(document);
    }
}
