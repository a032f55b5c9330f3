package dev.weft.web.internal.apps;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.api.core.ValidationException;
import dev.weft.api.core.WeftException;
import dev.weft.platform.engine.AppDefinition;
import dev.weft.platform.engine.DslImport;
import dev.weft.platform.engine.DslService;
import dev.weft.platform.engine.Issue;
import dev.weft.platform.engine.RunHandle;
import dev.weft.platform.engine.RunRequest;
import dev.weft.platform.engine.WorkflowEngine;
import dev.weft.platform.store.AppRecord;
import dev.weft.platform.store.AppRepository;
import dev.weft.platform.store.ConversationRecord;
import dev.weft.platform.store.ConversationRepository;
import dev.weft.platform.store.NodeExecutionRecord;
import dev.weft.platform.store.RunRecord;
import dev.weft.platform.store.RunRepository;
import dev.weft.web.internal.errors.Problem;
import dev.weft.web.internal.json.Json;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
 * {@code /console/api/apps}: import apps from Dify DSL files, list, read, export and delete them,
 * and run a draft with its events streamed in Dify's shapes. Until accounts exist, the current
 * workspace is the default one.
 */
@Component(service = AppsResource.class)
@JakartarsResource
@Path("/console/api/apps")
@Produces(MediaType.APPLICATION_JSON)
public final class AppsResource {

    @jakarta.ws.rs.core.Context
    jakarta.ws.rs.core.SecurityContext security;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile dev.weft.web.internal.service.ServiceApps service;


    private final DslService dsl;
    private final WorkflowEngine engine;


    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile AppRepository apps;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile RunRepository runs;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ConversationRepository conversations;

    @Activate
    public AppsResource(@Reference DslService dsl, @Reference WorkflowEngine engine) {
        this.dsl = dsl;
        this.engine = engine;
    }

    /** The body of an import: Dify's {@code {mode: yaml-content, yaml_content}}. */
    public record ImportRequest(String mode, String yamlContent) {
    }

    /**
     * Imports an app from a DSL file, sent as Dify's JSON body or as the YAML itself. Answers the
     * new app with every warning; a file with errors answers 422 listing them all, and stores
     * nothing.
     */
    @POST
    @Path("imports")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response importJson(ImportRequest request) {
        if (request == null || request.yamlContent() == null) {
            throw new BadRequestException("A JSON body {\"mode\": \"yaml-content\", \"yaml_content\": ...} is required.");
        }
        if (request.mode() != null && !request.mode().equals("yaml-content")) {
            throw ValidationException.of("/mode", "only yaml-content imports are supported; fetch the file and send it");
        }
        return importDsl(request.yamlContent().getBytes(StandardCharsets.UTF_8));
    }

    /** The same, with the YAML file as the body. */
    @POST
    @Path("imports")
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", MediaType.TEXT_PLAIN})
    public Response importYaml(byte[] content) {
        return importDsl(content);
    }

    private Response importDsl(byte[] content) {
        DslImport result = dsl.read(content);
        if (!result.imported()) {
            Map<String, Object> problem = new LinkedHashMap<>();
            Problem base = Problem.of(422, "dsl_invalid", result.errors().size() + " problem(s) stop the import", null);
            problem.put("type", base.type());
            problem.put("title", base.title());
            problem.put("status", 422);
            problem.put("detail", base.detail());
            problem.put("code", base.code());
            problem.put("issues", issues(result.issues()));
            throw new WebApplicationException(Response.status(422).type(Problem.MEDIA_TYPE).entity(problem).build());
        }
        AppDefinition app = result.app();
        AppRecord stored = apps().create(workspace(), app.name(), app.mode(), app.description(), app.sourceVersion(),
                json(app.document()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", result.warnings().isEmpty() ? "completed" : "completed-with-warnings");
        body.put("app_id", stored.id());
        body.put("app_mode", app.mode());
        body.put("imported_dsl_version", app.sourceVersion());
        body.put("issues", issues(result.issues()));
        return Response.ok(body).build();
    }

    @GET
    public Map<String, Object> list() {
        List<Map<String, Object>> data = apps().list(workspace()).stream().map(AppsResource::summary).toList();
        return Map.of("data", data, "total", data.size());
    }

    @GET
    @Path("{appId}")
    public Map<String, Object> get(@PathParam("appId") String appId) {
        AppRecord app = app(appId);
        Map<String, Object> body = summary(app);
        body.put("dsl_version", app.dslVersion());
        body.put("document", document(app));
        return body;
    }

    /** Dify's export shape: {@code {"data": "<yaml>"}}; secrets blank. */
    @GET
    @Path("{appId}/export")
    public Map<String, Object> export(@PathParam("appId") String appId) {
        return Map.of("data", new String(dsl.export(definition(app(appId))), StandardCharsets.UTF_8));
    }

    @DELETE
    @Path("{appId}")
    public Response delete(@PathParam("appId") String appId) {
        if (!apps().delete(workspace(), appId)) {
            throw new NotFoundException("No such app.");
        }
        dev.weft.web.internal.service.ServiceApps serving = service;
        if (serving != null) {
            serving.forget(workspace(), appId);
        }
        return Response.noContent().build();
    }

    /** The body of a draft run. */
    public record DraftRun(Map<String, Object> inputs, String query, List<Object> files, String conversationId) {
    }

    /**
     * Runs the app's draft and streams its events ({@code workflow_started} ... {@code workflow_finished});
     * a chatflow's answer streams as {@code message} events and ends with {@code message_end}, in the
     * conversation the body names or in a new one.
     */
    @POST
    @Path("{appId}/workflows/draft/run")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void run(@PathParam("appId") String appId, DraftRun body, @Context SseEventSink sink, @Context Sse sse) {
        AppRecord app = app(appId);
        DraftRun request = body == null ? new DraftRun(Map.of(), null, List.of(), null) : body;
        if (app.mode().equals("advanced-chat") && (request.query() == null || request.query().isBlank())) {
            throw ValidationException.of("/query", "a chatflow needs the user's query");
        }
        AppDefinition draft = definition(app);
        RunStream stream = new RunStream(sink, sse, app.id(), Citations.of(draft));
        RunHandle handle;
        try {
            handle = engine.start(new RunRequest(workspace(), app.id(), draft, request.inputs(), "console",
                    request.query(), request.files(), request.conversationId(), Map.of()), stream);
        } catch (WeftException e) {
            stream.abandon();
            if (e.code().equals("conversation_not_found")) {
                throw new NotFoundException("Conversation Not Exists.");
            }
            throw e;
        } catch (RuntimeException e) {
            stream.abandon();
            throw e;
        }
        stream.begin(handle.messageId() == null ? null
                : new DifyEvents.Chat(handle.conversationId(), handle.messageId(), Instant.now()));
    }

    /** Dify's path for running a chatflow's draft: the same run. */
    @POST
    @Path("{appId}/advanced-chat/workflows/draft/run")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void chatRun(@PathParam("appId") String appId, DraftRun body, @Context SseEventSink sink, @Context Sse sse) {
        AppRecord app = app(appId);
        if (!app.mode().equals("advanced-chat")) {
            throw new BadRequestException("Please check if your app mode matches the right API route.");
        }
        run(appId, body, sink, sse);
    }

    /**
     * A conversation's variables as its last run left them ({@code ?conversation_id=}), with the
     * types the app declares.
     */
    @GET
    @Path("{appId}/conversation-variables")
    public Map<String, Object> conversationVariables(@PathParam("appId") String appId,
            @QueryParam("conversation_id") String conversationId) {
        AppRecord app = app(appId);
        if (conversationId == null || conversationId.isBlank()) {
            throw ValidationException.of("/conversation_id", "the conversation is required");
        }
        ConversationRepository repository = conversations();
        ConversationRecord conversation = repository.find(workspace(), conversationId)
                .filter(c -> c.appId().equals(app.id()))
                .orElseThrow(() -> new NotFoundException("Conversation Not Exists."));
        List<Map<String, Object>> data = ConversationVariables.of(document(app))
                .items(conversation, repository.variables(workspace(), conversation.id()));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("page", 1);
        page.put("limit", data.size());
        page.put("total", data.size());
        page.put("has_more", false);
        page.put("data", data);
        return page;
    }

    private ConversationRepository conversations() {
        ConversationRepository repository = conversations;
        if (repository == null) {
            throw new ServiceUnavailableException("The store is not ready yet.", 1L);
        }
        return repository;
    }

    @POST
    @Path("{appId}/workflow-runs/tasks/{taskId}/stop")
    public Map<String, Object> stop(@PathParam("appId") String appId, @PathParam("taskId") String taskId) {
        app(appId);
        engine.stop(workspace(), taskId);
        return Map.of("result", "success");
    }

    @GET
    @Path("{appId}/workflow-runs/{runId}")
    public Map<String, Object> runRecord(@PathParam("appId") String appId, @PathParam("runId") String runId) {
        RunRecord run = run(appId, runId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", run.id());
        body.put("status", run.status());
        body.put("inputs", parse(run.inputs()));
        body.put("outputs", run.outputs() == null ? null : parse(run.outputs()));
        body.put("error", run.error());
        body.put("elapsed_time", run.elapsedMillis() == null ? null : run.elapsedMillis() / 1000.0);
        body.put("total_steps", run.totalSteps());
        body.put("total_tokens", run.totalTokens());
        body.put("exceptions_count", run.exceptionsCount());
        body.put("created_at", run.createdAt() == null ? null : run.createdAt().getEpochSecond());
        body.put("finished_at", run.finishedAt() == null ? null : run.finishedAt().getEpochSecond());
        return body;
    }

    @GET
    @Path("{appId}/workflow-runs/{runId}/node-executions")
    public Map<String, Object> executions(@PathParam("appId") String appId, @PathParam("runId") String runId) {
        run(appId, runId);
        List<Map<String, Object>> data = runs().executions(workspace(), runId).stream().map(AppsResource::execution).toList();
        return Map.of("data", data);
    }

    private RunRecord run(String appId, String runId) {
        app(appId);
        return runs().find(workspace(), runId).filter(run -> run.appId().equals(appId))
                .orElseThrow(() -> new NotFoundException("No such run."));
    }

    private static Map<String, Object> execution(NodeExecutionRecord e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", e.id());
        body.put("index", e.position());
        body.put("node_id", e.nodeId());
        body.put("node_type", e.nodeType());
        body.put("title", e.title());
        body.put("status", e.status());
        body.put("iteration_id", e.iterationId());
        body.put("loop_id", e.loopId());
        body.put("inputs", e.inputs() == null ? null : parse(e.inputs()));
        body.put("process_data", e.processData() == null ? null : parse(e.processData()));
        body.put("outputs", e.outputs() == null ? null : parse(e.outputs()));
        body.put("execution_metadata", e.metadata() == null ? null : parse(e.metadata()));
        body.put("error", e.error());
        body.put("elapsed_time", e.elapsedMillis() == null ? null : e.elapsedMillis() / 1000.0);
        return body;
    }

    private AppRecord app(String appId) {
        return apps().find(workspace(), appId).orElseThrow(() -> new NotFoundException("No such app."));
    }

    private static Map<String, Object> summary(AppRecord app) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", app.id());
        body.put("name", app.name());
        body.put("mode", app.mode());
        body.put("description", app.description());
        body.put("created_at", app.createdAt().getEpochSecond());
        body.put("updated_at", app.updatedAt().getEpochSecond());
        return body;
    }

    private static AppDefinition definition(AppRecord app) {
        return new AppDefinition(app.mode(), app.name(), app.description(), app.dslVersion(), document(app));
    }

    private static Map<String, Object> document(AppRecord app) {
        return parse(app.document());
    }

    private static Map<String, Object> parse(String json) {
        return Json.object(json);
    }

    private static String json(Map<String, Object> document) {
        return Json.text(document);
    }

    private static List<Map<String, Object>> issues(List<Issue> issues) {
        return issues.stream().map(issue -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("severity", issue.severity().name().toLowerCase(java.util.Locale.ROOT));
            item.put("code", issue.code());
            item.put("message", issue.message());
            item.put("node_id", issue.nodeId());
            return item;
        }).toList();
    }

    private String workspace() {
        return dev.weft.web.internal.auth.Callers.workspace(security);
    }

    private AppRepository apps() {
        AppRepository repository = apps;
        if (repository == null) {
            throw new ServiceUnavailableException("The store is not ready yet.", 1L);
        }
        return repository;
    }

    private RunRepository runs() {
        RunRepository repository = runs;
        if (repository == null) {
            throw new ServiceUnavailableException("The store is not ready yet.", 1L);
        }
        return repository;
    }
}
