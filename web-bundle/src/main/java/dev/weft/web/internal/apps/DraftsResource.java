package dev.weft.web.internal.apps;

import dev.weft.api.core.ValidationException;
import dev.weft.platform.engine.AppDefinition;
import dev.weft.platform.engine.DslImport;
import dev.weft.platform.engine.DslService;
import dev.weft.platform.engine.Issue;
import dev.weft.platform.store.AppRecord;
import dev.weft.platform.store.AppRepository;
import dev.weft.web.internal.auth.Callers;
import dev.weft.web.internal.errors.Problem;
import dev.weft.web.internal.json.Json;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code /console/api/apps}: apps made from nothing in any of the five modes, renamed, and their
 * drafts edited — a graph app's {@code workflow} block ({@code graph}, {@code features},
 * {@code environment_variables}, {@code conversation_variables}) or a prompt app's
 * {@code model_config}. Every edit is checked like an imported file: a draft with errors is
 * refused with all of them and the stored draft stays as it was. Publishing copies the draft.
 */
@Component(service = DraftsResource.class)
@JakartarsResource
@Path("/console/api/apps")
@Produces(MediaType.APPLICATION_JSON)
public final class DraftsResource {

    static final Set<String> MODES = Set.of("chat", "agent-chat", "completion", "advanced-chat", "workflow");

    private final DslService dsl;
    private final AppRepository apps;

    @Context
    SecurityContext security;

    @Activate
    public DraftsResource(@Reference DslService dsl, @Reference AppRepository apps) {
        this.dsl = dsl;
        this.apps = apps;
    }

    /** A new app: {@code {name, mode, description}}; server-owned fields (ids, workspace) are not taken. */
    public record NewApp(String name, String mode, String description, String icon) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewApp body) {
        if (body == null || body.name() == null || body.name().isBlank()) {
            throw ValidationException.of("/name", "an app needs a name");
        }
        if (body.mode() == null || !MODES.contains(body.mode())) {
            throw ValidationException.of("/mode", "the mode must be one of " + MODES);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("name", body.name().strip());
        about.put("mode", body.mode());
        about.put("description", body.description() == null ? "" : body.description());
        about.put("icon", body.icon() == null ? "🤖" : body.icon());
        document.put("app", about);
        document.put("kind", "app");
        document.put("version", "0.6.0");
        if (body.mode().equals("workflow") || body.mode().equals("advanced-chat")) {
            document.put("workflow", starterWorkflow(body.mode()));
        } else {
            document.put("model_config", starterModelConfig(body.mode()));
        }
        AppDefinition app = checked(document);
        AppRecord stored = apps.create(workspace(), app.name(), app.mode(), app.description(), app.sourceVersion(),
                json(app.document()));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", stored.id());
        answer.put("name", stored.name());
        answer.put("mode", stored.mode());
        answer.put("description", stored.description());
        answer.put("created_at", stored.createdAt().getEpochSecond());
        return Response.status(201).entity(answer).build();
    }

    /** A rename: {@code {name, description}}. */
    public record AppInfo(String name, String description) {
    }

    @PUT
    @Path("{appId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> rename(@PathParam("appId") String appId, AppInfo body) {
        AppRecord app = app(appId);
        if (body == null || body.name() == null || body.name().isBlank()) {
            throw ValidationException.of("/name", "an app needs a name");
        }
        Map<String, Object> document = document(app);
        @SuppressWarnings("unchecked")
        Map<String, Object> about = document.get("app") instanceof Map<?, ?> a ? (Map<String, Object>) a
                : new LinkedHashMap<>();
        about.put("name", body.name().strip());
        if (body.description() != null) {
            about.put("description", body.description());
        }
        document.put("app", about);
        return saved(app, checked(document));
    }

    /** The draft of a graph app: Dify's {@code workflows/draft} shape. */
    @GET
    @Path("{appId}/workflows/draft")
    public Map<String, Object> draft(@PathParam("appId") String appId) {
        AppRecord app = app(appId);
        if (!(document(app).get("workflow") instanceof Map<?, ?> workflow)) {
            throw new NotFoundException("This app has no workflow: it is a " + app.mode() + " app.");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        workflow.forEach((k, v) -> answer.put(String.valueOf(k), v));
        answer.put("updated_at", app.updatedAt().getEpochSecond());
        return answer;
    }

    /** Replaces a graph app's draft: {@code {graph, features, environment_variables, conversation_variables}}. */
    @POST
    @Path("{appId}/workflows/draft")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> saveDraft(@PathParam("appId") String appId, Map<String, Object> body) {
        AppRecord app = app(appId);
        if (!app.mode().equals("workflow") && !app.mode().equals("advanced-chat")) {
            throw ValidationException.of("/", "a " + app.mode() + " app has no workflow: edit its model config");
        }
        if (body == null || !(body.get("graph") instanceof Map<?, ?>)) {
            throw ValidationException.of("/graph", "the draft needs its graph");
        }
        Map<String, Object> document = document(app);
        Map<String, Object> workflow = new LinkedHashMap<>();
        for (String key : List.of("graph", "features", "environment_variables", "conversation_variables")) {
            if (body.containsKey(key)) {
                workflow.put(key, body.get(key));
            } else if (document.get("workflow") instanceof Map<?, ?> old && old.containsKey(key)) {
                workflow.put(key, old.get(key));
            }
        }
        document.put("workflow", workflow);
        return saved(app, checked(document));
    }

    /** Replaces a prompt app's {@code model_config}. */
    @POST
    @Path("{appId}/model-config")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> saveModelConfig(@PathParam("appId") String appId, Map<String, Object> body) {
        AppRecord app = app(appId);
        if (app.mode().equals("workflow") || app.mode().equals("advanced-chat")) {
            throw ValidationException.of("/", "a " + app.mode() + " app is a graph: edit its workflow draft");
        }
        if (body == null || !(body.get("model") instanceof Map<?, ?>)) {
            throw ValidationException.of("/model", "the model config needs its model");
        }
        Map<String, Object> document = document(app);
        document.put("model_config", body);
        return saved(app, checked(document));
    }

    private Map<String, Object> saved(AppRecord app, AppDefinition checked) {
        AppRecord stored = apps.update(workspace(), app.id(), checked.name(), checked.mode(), checked.description(),
                checked.sourceVersion(), json(checked.document())).orElseThrow(() -> new NotFoundException("No such app."));
        return Map.of("result", "success", "updated_at", stored.updatedAt().getEpochSecond());
    }

    /** The document read back as the DSL reader reads files: normalised, or refused with every error. */
    private AppDefinition checked(Map<String, Object> document) {
        DslImport result = dsl.read(json(document).getBytes(StandardCharsets.UTF_8));
        if (!result.imported()) {
            Map<String, Object> problem = new LinkedHashMap<>();
            Problem base = Problem.of(422, "dsl_invalid", result.errors().size() + " problem(s) in the draft", null);
            problem.put("type", base.type());
            problem.put("title", base.title());
            problem.put("status", 422);
            problem.put("detail", base.detail());
            problem.put("code", base.code());
            problem.put("issues", result.errors().stream().map(DraftsResource::issue).toList());
            throw new WebApplicationException(Response.status(422).type(Problem.MEDIA_TYPE).entity(problem).build());
        }
        return result.app();
    }

    private static Map<String, Object> issue(Issue issue) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("code", issue.code());
        item.put("message", issue.message());
        item.put("node_id", issue.nodeId());
        return item;
    }

    private static Map<String, Object> starterWorkflow(String mode) {
        Map<String, Object> start = Map.of("id", "start", "data", Map.of("type", "start", "title", "Start",
                "variables", List.of()), "position", Map.of("x", 80, "y", 280));
        Map<String, Object> last = mode.equals("workflow")
                ? Map.of("id", "end", "data", Map.of("type", "end", "title", "End", "outputs", List.of()),
                        "position", Map.of("x", 400, "y", 280))
                : Map.of("id", "answer", "data", Map.of("type", "answer", "title", "Answer", "answer", "{{#sys.query#}}"),
                        "position", Map.of("x", 400, "y", 280));
        Map<String, Object> edge = Map.of("id", "start-" + last.get("id"), "source", "start", "target", last.get("id"),
                "sourceHandle", "source", "targetHandle", "target");
        Map<String, Object> workflow = new LinkedHashMap<>();
        workflow.put("graph", Map.of("nodes", List.of(start, last), "edges", List.of(edge)));
        workflow.put("features", Map.of());
        workflow.put("environment_variables", List.of());
        workflow.put("conversation_variables", List.of());
        return workflow;
    }

    private static Map<String, Object> starterModelConfig(String mode) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", Map.of("provider", "openai", "name", "gpt-4o-mini", "mode", "chat",
                "completion_params", Map.of()));
        config.put("prompt_type", "simple");
        config.put("pre_prompt", mode.equals("completion") ? "{{query}}" : "");
        config.put("user_input_form", mode.equals("completion")
                ? List.of(Map.of("paragraph", Map.of("label", "Query", "variable", "query", "required", true, "default", "")))
                : List.of());
        config.put("opening_statement", "");
        config.put("suggested_questions", List.of());
        config.put("agent_mode", Map.of("enabled", mode.equals("agent-chat"), "strategy", "function_call",
                "tools", List.of()));
        return config;
    }

    private AppRecord app(String appId) {
        return apps.find(workspace(), appId).orElseThrow(() -> new NotFoundException("No such app."));
    }

    private String workspace() {
        return Callers.workspace(security);
    }

    private static Map<String, Object> document(AppRecord app) {
        return Json.object(app.document());
    }

    private static String json(Map<String, Object> document) {
        return Json.text(document);
    }
}
