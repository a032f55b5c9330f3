package dev.weft.web.internal.service;

import dev.weft.api.core.WeftException;
import dev.weft.api.workflow.RunStatus;
import dev.weft.platform.engine.RunHandle;
import dev.weft.platform.engine.RunRequest;
import dev.weft.platform.engine.RunResult;
import dev.weft.platform.engine.WorkflowEngine;
import dev.weft.platform.store.ConversationRecord;
import dev.weft.platform.store.ConversationRepository;
import dev.weft.platform.store.RunRepository;
import dev.weft.platform.store.UploadFileRecord;
import dev.weft.platform.store.UploadFileRepository;
import dev.weft.web.internal.apps.Citations;
import dev.weft.web.internal.apps.DifyEvents;
import dev.weft.web.internal.auth.Access;
import dev.weft.web.internal.auth.Caller;
import dev.weft.web.internal.auth.Callers;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * The service API's runs, as Dify serves them under {@code /v1} with an app key: chat and
 * completion messages, workflow runs (blocking, or streamed as SSE), and stopping them (the
 * recorded runs are {@link ServiceRunLogsResource}'s).
 *
 * <p>Durability: the run (and a chat's message) is written when it starts; its end, the answer and
 * the conversation's variables are written before the blocking response or the last event is
 * sent. A response that says a run ended describes a committed record.
 */
@Component(service = ServiceRunsResource.class)
@JakartarsResource
@Path("/v1")
@Access(Access.Kind.APP_KEY)
@Produces(MediaType.APPLICATION_JSON)
public final class ServiceRunsResource {

    private static final String EVENT_STREAM = "text/event-stream";

    private final ServiceApps service;
    private final WorkflowEngine engine;
    private final ConversationRepository conversations;
    private final RunRepository runs;
    private final UploadFileRepository files;

    @Context
    SecurityContext security;

    @org.osgi.service.component.annotations.Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    volatile AnnotationReplies annotationReplies;

    @Activate
    public ServiceRunsResource(@Reference ServiceApps service, @Reference WorkflowEngine engine,
            @Reference ConversationRepository conversations, @Reference RunRepository runs,
            @Reference UploadFileRepository files) {
        this.service = service;
        this.engine = engine;
        this.conversations = conversations;
        this.runs = runs;
        this.files = files;
    }

    /** A chat message: Dify's {@code POST /chat-messages} body. */
    public record ChatBody(String query, Map<String, Object> inputs, String user, String responseMode,
            String conversationId, List<Object> files, Boolean autoGenerateName, String workflowId) {
    }

    /** A completion or workflow run: Dify's body of {@code /completion-messages} and {@code /workflows/run}. */
    public record RunBody(Map<String, Object> inputs, String user, String responseMode, List<Object> files,
            String query) {
    }

    /** A stop: {@code {"user": ...}}. */
    public record StopBody(String user) {
    }

    @POST
    @Path("chat-messages")
    @Consumes(MediaType.APPLICATION_JSON)
    public void chat(ChatBody body, @Suspended AsyncResponse response) {
        Caller caller = Callers.of(security);
        ChatBody request = body == null ? new ChatBody(null, null, null, null, null, null, null, null) : body;
        PublishedApp app = service.published(caller.workspaceId(), caller.appId(), blankToNull(request.workflowId()));
        if (!app.chatLike()) {
            throw new ServiceError(400, "not_chat_app", "Please check if your app mode matches the right API route.");
        }
        if (request.query() == null || request.query().isBlank()) {
            throw ServiceError.invalid("query is required");
        }
        Map<String, Object> inputs = fileInputs(caller, app, inputs(request.inputs()));
        AppParameters.check(app.definition(), inputs);
        String user = request.user();
        service.endUser(caller.workspaceId(), caller.appId(), user);
        String conversationId = blankToNull(request.conversationId());
        if (conversationId != null) {
            ConversationRecord conversation = conversations.find(caller.workspaceId(), conversationId)
                    .filter(c -> c.appId().equals(caller.appId()) && user.equals(c.userId()))
                    .orElseThrow(() -> ServiceError.notFound("Conversation Not Exists."));
            conversationId = conversation.id();
        }
        List<Object> files = files(caller, request.files());
        boolean streaming = streaming(request.responseMode());
        AnnotationReplies replies = annotationReplies;
        java.util.Optional<AnnotationReplies.Reply> reply = replies == null ? java.util.Optional.empty()
                : replies.match(caller.workspaceId(), caller.appId(), request.query());
        if (reply.isPresent()) {
            response.resume(annotated(app, user, request.query(), inputs, conversationId, reply.get(), streaming));
            return;
        }
        RunRequest run = new RunRequest(caller.workspaceId(), caller.appId(), app.definition(), inputs, user,
                request.query(), files, conversationId, Map.of(), "app-run");
        start(app, run, streaming, response);
    }

    /**
     * The answer of an annotation, recorded as the conversation's next message (no run, no model
     * call), blocking or as a two-event stream ({@code message}, {@code message_end}).
     */
    private Response annotated(PublishedApp app, String user, String query, Map<String, Object> inputs,
            String conversationId, AnnotationReplies.Reply reply, boolean streaming) {
        String conversation = conversationId;
        if (conversation == null) {
            String name = query.strip().length() > 50 ? query.strip().substring(0, 50) + "…" : query.strip();
            conversation = conversations.create(app.workspaceId(), app.appId(), user, name).id();
        }
        String messageId = java.util.UUID.randomUUID().toString();
        String taskId = java.util.UUID.randomUUID().toString();
        Instant now = Instant.now();
        String answer = reply.annotation().answer();
        String inputsJson;
        try {
            inputsJson = dev.weft.web.internal.json.Json.mapper().writeValueAsString(inputs);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            inputsJson = "{}";
        }
        conversations.messageStarted(new dev.weft.platform.store.MessageRecord(messageId, conversation, app.workspaceId(),
                app.appId(), null, query, null, "running", null, now, null, inputsJson, 0, null));
        conversations.messageFinished(new dev.weft.platform.store.MessageRecord(messageId, conversation,
                app.workspaceId(), app.appId(), null, query, answer, "succeeded", null, now, Instant.now(), null, 0, 0L),
                Map.of());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("usage", usage(new RunResult(taskId, RunStatus.SUCCEEDED, Map.of(), null, 0, 0, 0,
                java.time.Duration.ZERO, Map.of())));
        metadata.put("retriever_resources", List.of());
        metadata.put("annotation_reply", Map.of("id", reply.annotation().id(), "score", reply.score()));
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("event", app.mode().equals("agent-chat") ? "agent_message" : "message");
        message.put("task_id", taskId);
        message.put("id", messageId);
        message.put("message_id", messageId);
        message.put("conversation_id", conversation);
        message.put("mode", app.mode());
        message.put("answer", answer);
        if (!streaming) {
            message.put("event", "message");
            message.put("metadata", metadata);
            message.put("created_at", now.getEpochSecond());
            return Response.ok(message, MediaType.APPLICATION_JSON).build();
        }
        message.put("created_at", now.getEpochSecond());
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("event", "message_end");
        end.put("task_id", taskId);
        end.put("id", messageId);
        end.put("message_id", messageId);
        end.put("conversation_id", conversation);
        end.put("metadata", metadata);
        end.put("files", List.of());
        end.put("created_at", now.getEpochSecond());
        StringBuilder body = new StringBuilder();
        try {
            for (Map<String, Object> event : List.of(message, end)) {
                body.append("data: ").append(dev.weft.web.internal.json.Json.mapper().writeValueAsString(event))
                        .append("\n\n");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Response.ok(body.toString(), EVENT_STREAM).header("Cache-Control", "no-cache").build();
    }

    @POST
    @Path("completion-messages")
    @Consumes(MediaType.APPLICATION_JSON)
    public void completion(RunBody body, @Suspended AsyncResponse response) {
        Caller caller = Callers.of(security);
        RunBody request = body == null ? new RunBody(null, null, null, null, null) : body;
        PublishedApp app = service.published(caller.workspaceId(), caller.appId(), null);
        if (!app.completion()) {
            throw new ServiceError(400, "app_unavailable", "Please check if your app mode matches the right API route.");
        }
        Map<String, Object> inputs = fileInputs(caller, app, inputs(request.inputs()));
        AppParameters.check(app.definition(), inputs);
        service.endUser(caller.workspaceId(), caller.appId(), request.user());
        RunRequest run = new RunRequest(caller.workspaceId(), caller.appId(), app.definition(), inputs, request.user(),
                request.query() == null ? "" : request.query(), files(caller, request.files()), null, Map.of(),
                "app-run");
        start(app, run, streaming(request.responseMode()), response);
    }

    @POST
    @Path("workflows/run")
    @Consumes(MediaType.APPLICATION_JSON)
    public void workflow(RunBody body, @Suspended AsyncResponse response) {
        runWorkflow(null, body, response);
    }

    @POST
    @Path("workflows/{workflowId}/run")
    @Consumes(MediaType.APPLICATION_JSON)
    public void workflowVersion(@PathParam("workflowId") String workflowId, RunBody body,
            @Suspended AsyncResponse response) {
        runWorkflow(workflowId, body, response);
    }

    private void runWorkflow(String versionId, RunBody body, AsyncResponse response) {
        Caller caller = Callers.of(security);
        RunBody request = body == null ? new RunBody(null, null, null, null, null) : body;
        PublishedApp app = service.published(caller.workspaceId(), caller.appId(), versionId);
        if (!app.workflow()) {
            throw new ServiceError(400, "not_workflow_app", "Please check if your app mode matches the right API route.");
        }
        Map<String, Object> inputs = fileInputs(caller, app, inputs(request.inputs()));
        AppParameters.check(app.definition(), inputs);
        service.endUser(caller.workspaceId(), caller.appId(), request.user());
        RunRequest run = new RunRequest(caller.workspaceId(), caller.appId(), app.definition(), inputs, request.user(),
                null, files(caller, request.files()), null, Map.of(), "app-run");
        start(app, run, streaming(request.responseMode()), response);
    }

    /** Starts the run, and answers blocking (when it ends) or streaming (at once, as SSE). */
    private void start(PublishedApp app, RunRequest request, boolean streaming, AsyncResponse response) {
        Runnable release = service.admit(app.appId());
        String versionId = app.version().id();
        try {
            if (streaming) {
                ServiceStream stream = new ServiceStream(versionId, Citations.of(app.definition()));
                RunHandle handle = engine.start(request, stream);
                recordFiles(request, handle);
                handle.result().whenComplete((result, failure) -> release.run());
                stream.begin(chat(app, handle), () -> { });
                response.resume(Response.ok(stream.output(), EVENT_STREAM).header("Cache-Control", "no-cache")
                        .header("X-Accel-Buffering", "no").build());
            } else {
                Citations citations = Citations.of(app.definition());
                RunHandle handle = engine.start(request, citations);
                recordFiles(request, handle);
                response.setTimeout(service.blockingTimeoutSeconds(), TimeUnit.SECONDS);
                response.setTimeoutHandler(timedOut -> timedOut.resume(new ServiceError(504, "internal_server_error",
                        "The run did not end in time; it goes on and can be looked up by its id.")));
                handle.result().whenComplete((result, failure) -> {
                    release.run();
                    Object answer = failure != null ? failure : blocking(app, handle, result, citations.list());
                    if (answer instanceof Throwable error) {
                        response.resume(error);
                    } else {
                        response.resume(answer);
                    }
                });
            }
        } catch (WeftException e) {
            release.run();
            throw translate(e);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** Keeps the files sent with a message, for the message list. */
    private void recordFiles(RunRequest request, RunHandle handle) {
        if (handle.messageId() == null || request.files().isEmpty()) {
            return;
        }
        try {
            conversations.messageFiles(request.workspaceId(), handle.messageId(),
                    dev.weft.web.internal.json.Json.mapper().writeValueAsString(request.files()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            // the run goes on; the list will show the message without its files
        }
    }

    private static DifyEvents.Chat chat(PublishedApp app, RunHandle handle) {
        return handle.messageId() == null ? null
                : new DifyEvents.Chat(handle.conversationId(), handle.messageId(), Instant.now(), app.mode());
    }

    private Object blocking(PublishedApp app, RunHandle handle, RunResult result, List<Map<String, Object>> cited) {
        if (app.workflow()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("task_id", result.runId());
            body.put("workflow_run_id", result.runId());
            body.put("data", runData(app.version().id(), result));
            return Response.ok(body, MediaType.APPLICATION_JSON).build();
        }
        boolean ok = result.status() == RunStatus.SUCCEEDED || result.status() == RunStatus.PARTIAL_SUCCEEDED;
        if (!ok) {
            return new ServiceError(400, "completion_request_error",
                    result.error() == null ? "The app could not answer." : result.error());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", "message");
        body.put("task_id", result.runId());
        body.put("id", handle.messageId());
        body.put("message_id", handle.messageId());
        if (!app.completion()) {
            body.put("conversation_id", handle.conversationId());
        }
        body.put("mode", app.mode());
        Object answer = result.outputs() == null ? null : result.outputs().get("answer");
        body.put("answer", answer == null ? "" : String.valueOf(answer));
        body.put("metadata", Map.of("usage", usage(result), "retriever_resources", cited));
        body.put("created_at", Instant.now().getEpochSecond());
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    static Map<String, Object> usage(RunResult result) {
        return DifyEvents.usage(result.tokens(), result.elapsed());
    }

    private static Map<String, Object> runData(String workflowId, RunResult result) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", result.runId());
        data.put("workflow_id", workflowId);
        data.put("status", result.status().wireName());
        data.put("outputs", result.outputs());
        data.put("error", result.error());
        data.put("elapsed_time", result.elapsed() == null ? 0 : result.elapsed().toNanos() / 1e9);
        data.put("total_tokens", result.tokens());
        data.put("total_steps", result.steps());
        long now = Instant.now().getEpochSecond();
        long started = result.elapsed() == null ? now : now - result.elapsed().toSeconds();
        data.put("created_at", started);
        data.put("finished_at", now);
        data.put("exceptions_count", result.exceptions());
        data.put("files", List.of());
        return data;
    }

    @POST
    @Path("chat-messages/{taskId}/stop")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> stopChat(@PathParam("taskId") String taskId, StopBody body) {
        return stop(taskId, body == null ? null : body.user(), true);
    }

    @POST
    @Path("completion-messages/{taskId}/stop")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> stopCompletion(@PathParam("taskId") String taskId, StopBody body) {
        return stop(taskId, body == null ? null : body.user(), true);
    }

    @POST
    @Path("workflows/tasks/{taskId}/stop")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> stopWorkflow(@PathParam("taskId") String taskId, StopBody body) {
        return stop(taskId, body == null ? null : body.user(), false);
    }

    /**
     * Stops a run of this app (of this user, for messages). Like Dify, a task that already ended or
     * is unknown answers success: stopping is idempotent, and nothing of another app is touched.
     */
    private Map<String, Object> stop(String taskId, String user, boolean checkUser) {
        Caller caller = Callers.of(security);
        if (checkUser && (user == null || user.isBlank())) {
            throw ServiceError.invalid("user is required");
        }
        runs.find(caller.workspaceId(), taskId)
                .filter(run -> run.appId().equals(caller.appId()))
                .filter(run -> !checkUser || user.equals(run.createdBy()))
                .ifPresent(run -> engine.stop(caller.workspaceId(), run.id()));
        return Map.of("result", "success");
    }

    /**
     * The run's files: each {@code local_file} must be an upload of this workspace; remote URLs
     * pass as they are (the nodes fetch them through the egress guard).
     */
    private List<Object> files(Caller caller, List<Object> given) {
        if (given == null || given.isEmpty()) {
            return List.of();
        }
        if (given.size() > 10) {
            throw new ServiceError(400, "too_many_files", "Only ten files may be sent with one request.");
        }
        List<Object> resolved = new ArrayList<>();
        for (Object item : given) {
            if (!(item instanceof Map<?, ?> file)) {
                throw ServiceError.invalid("files must be objects");
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            file.forEach((k, v) -> copy.put(String.valueOf(k), v));
            copy.put("dify_model_identity", "__dify__file__");
            String method = String.valueOf(copy.getOrDefault("transfer_method", "remote_url"));
            if (method.equals("local_file")) {
                String id = copy.get("upload_file_id") instanceof String s ? s : null;
                UploadFileRecord upload = id == null ? null : files.find(caller.workspaceId(), id).orElse(null);
                if (upload == null) {
                    throw new ServiceError(404, "file_not_found", "File not found.");
                }
                copy.put("related_id", upload.id());
                copy.put("filename", upload.name());
                copy.put("extension", "." + upload.extension());
                copy.put("mime_type", upload.mimeType());
                copy.put("size", upload.size());
            } else if (method.equals("remote_url")) {
                if (!(copy.get("url") instanceof String url) || url.isBlank()) {
                    throw ServiceError.invalid("a remote file needs its url");
                }
            } else {
                throw ServiceError.invalid("transfer_method must be remote_url or local_file");
            }
            resolved.add(copy);
        }
        return resolved;
    }

    /**
     * The inputs with their file values resolved like {@code files}: a {@code file} input's upload
     * must be this workspace's, and gets its name, type and size.
     */
    private Map<String, Object> fileInputs(Caller caller, PublishedApp app, Map<String, Object> inputs) {
        Map<String, Object> resolved = null;
        for (Map<String, Object> item : AppParameters.form(app.definition())) {
            Map.Entry<String, Object> control = item.entrySet().iterator().next();
            if (!(control.getValue() instanceof Map<?, ?> settings) || !(settings.get("variable") instanceof String name)
                    || !inputs.containsKey(name) || inputs.get(name) == null) {
                continue;
            }
            if (control.getKey().equals("file") || control.getKey().equals("file-list")) {
                Object value = inputs.get(name);
                boolean list = control.getKey().equals("file-list");
                if (list && !(value instanceof List<?>) || !list && !(value instanceof Map<?, ?>)) {
                    throw ServiceError.invalid(name + " in input form must be " + (list ? "a list of files" : "a file"));
                }
                @SuppressWarnings("unchecked")
                List<Object> given = list ? (List<Object>) value : List.of(value);
                List<Object> files = files(caller, given);
                if (resolved == null) {
                    resolved = new LinkedHashMap<>(inputs);
                }
                resolved.put(name, list ? files : files.get(0));
            }
        }
        return resolved == null ? inputs : resolved;
    }

    private static RuntimeException translate(WeftException e) {
        return switch (e.code()) {
            case "conversation_not_found" -> ServiceError.notFound("Conversation Not Exists.");
            case "app_not_runnable", "app_invalid" -> new ServiceError(400, "app_unavailable", e.getMessage());
            default -> e;
        };
    }

    private static Map<String, Object> inputs(Map<String, Object> given) {
        return given == null ? Map.of() : given;
    }

    private static boolean streaming(String mode) {
        if (mode == null || mode.equals("blocking")) {
            return false;
        }
        if (mode.equals("streaming")) {
            return true;
        }
        throw ServiceError.invalid("response_mode must be blocking or streaming");
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
