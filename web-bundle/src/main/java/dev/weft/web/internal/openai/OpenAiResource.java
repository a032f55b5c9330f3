package dev.weft.web.internal.openai;

import dev.weft.api.core.WeftException;
import dev.weft.api.workflow.RunStatus;
import dev.weft.platform.engine.RunHandle;
import dev.weft.platform.engine.RunRequest;
import dev.weft.platform.engine.RunResult;
import dev.weft.platform.engine.WorkflowEngine;
import dev.weft.platform.store.ConversationRecord;
import dev.weft.platform.store.ConversationRepository;
import dev.weft.platform.store.MessageRecord;
import dev.weft.web.internal.auth.Access;
import dev.weft.web.internal.auth.Caller;
import dev.weft.web.internal.auth.Callers;
import dev.weft.web.internal.service.PublishedApp;
import dev.weft.web.internal.service.ServiceApps;
import dev.weft.web.internal.service.ServiceError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code /v1/openai}: every published chat app as an OpenAI-compatible model, so that any OpenAI
 * client can call it with the app's key as its API key. {@code GET models} lists the app (its id
 * and name are both accepted as the model); {@code POST chat/completions} answers the last user
 * message, with the messages before it as the conversation's history, blocking or streamed.
 * Errors come in OpenAI's shape.
 */
@Component(service = OpenAiResource.class)
@JakartarsResource
@Path("/v1/openai")
@Access(Access.Kind.OPENAI)
@Produces(MediaType.APPLICATION_JSON)
public final class OpenAiResource {

    private final ServiceApps service;
    private final WorkflowEngine engine;
    private final ConversationRepository conversations;

    @Context
    SecurityContext security;

    @Activate
    public OpenAiResource(@Reference ServiceApps service, @Reference WorkflowEngine engine,
            @Reference ConversationRepository conversations) {
        this.service = service;
        this.engine = engine;
        this.conversations = conversations;
    }

    @GET
    @Path("models")
    public Map<String, Object> models() {
        PublishedApp app = app();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", app.appId());
        model.put("object", "model");
        model.put("created", app.version().createdAt() == null ? 0 : app.version().createdAt().getEpochSecond());
        model.put("owned_by", "weft");
        model.put("name", app.definition().name());
        return Map.of("object", "list", "data", List.of(model));
    }

    /** OpenAI's chat completion request (the fields Weft uses; others are accepted and left out). */
    public record CompletionBody(String model, List<Map<String, Object>> messages, Boolean stream, String user,
            Map<String, Object> streamOptions) {
    }

    @POST
    @Path("chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public void complete(CompletionBody body, @Suspended AsyncResponse response) {
        if (body == null) {
            throw OpenAiError.invalid(null, "A JSON body is required.");
        }
        PublishedApp app = app();
        if (body.model() == null || !(body.model().equals(app.appId()) || body.model().equals(app.definition().name()))) {
            throw new OpenAiError(404, "invalid_request_error", "model_not_found", "model", "The model '"
                    + body.model() + "' does not exist: this key serves the model '" + app.appId() + "'.");
        }
        if (!app.chatLike()) {
            throw OpenAiError.invalid("model", "Only chat apps answer chat completions.");
        }
        List<Map<String, Object>> messages = body.messages();
        if (messages == null || messages.isEmpty()) {
            throw OpenAiError.invalid("messages", "messages must be a non-empty array.");
        }
        Map<String, Object> last = messages.get(messages.size() - 1);
        if (!"user".equals(last.get("role"))) {
            throw OpenAiError.invalid("messages", "The last message must be the user's.");
        }
        String query = text(last.get("content"), messages.size() - 1);
        List<Object> files = images(last.get("content"));
        String user = body.user() == null || body.user().isBlank() ? "openai-client" : body.user();
        Caller caller = Callers.of(security);
        String conversationId = history(caller, app, user, messages.subList(0, messages.size() - 1));
        Runnable release;
        try {
            service.endUser(caller.workspaceId(), caller.appId(), user);
            release = service.admit(app.appId());
        } catch (ServiceError e) {
            throw openAi(e);
        }
        RunRequest request = new RunRequest(caller.workspaceId(), caller.appId(), app.definition(), Map.of(), user, query,
                files, conversationId, Map.of(), "app-run");
        String model = body.model();
        try {
            if (Boolean.TRUE.equals(body.stream())) {
                boolean usage = body.streamOptions() != null && Boolean.TRUE.equals(body.streamOptions().get("include_usage"));
                OpenAiStream stream = new OpenAiStream(model, usage);
                RunHandle handle = engine.start(request, stream);
                handle.result().whenComplete((result, failure) -> release.run());
                stream.begin("chatcmpl-" + (handle.messageId() == null ? handle.runId() : handle.messageId()));
                response.resume(Response.ok(stream.output(), "text/event-stream").header("Cache-Control", "no-cache")
                        .build());
            } else {
                RunHandle handle = engine.start(request, event -> { });
                response.setTimeout(service.blockingTimeoutSeconds(), TimeUnit.SECONDS);
                handle.result().whenComplete((result, failure) -> {
                    release.run();
                    if (failure != null) {
                        response.resume(new OpenAiError(500, "server_error", null, null, "The app broke down."));
                    } else {
                        Object answer = answer(handle, result, model);
                        if (answer instanceof Throwable error) {
                            response.resume(error);
                        } else {
                            response.resume(answer);
                        }
                    }
                });
            }
        } catch (WeftException e) {
            release.run();
            throw new OpenAiError(400, "invalid_request_error", e.code(), null, e.getMessage());
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    private Object answer(RunHandle handle, RunResult result, String model) {
        if (result.status() != RunStatus.SUCCEEDED && result.status() != RunStatus.PARTIAL_SUCCEEDED) {
            return new OpenAiError(500, "server_error", "run_failed", null,
                    result.error() == null ? "The app could not answer." : result.error());
        }
        Object answer = result.outputs() == null ? null : result.outputs().get("answer");
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", answer == null ? "" : String.valueOf(answer));
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("message", message);
        choice.put("finish_reason", "stop");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "chatcmpl-" + (handle.messageId() == null ? handle.runId() : handle.messageId()));
        body.put("object", "chat.completion");
        body.put("created", Instant.now().getEpochSecond());
        body.put("model", model);
        body.put("choices", List.of(choice));
        body.put("usage", usage(result.tokens()));
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    static Map<String, Object> usage(long totalTokens) {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("prompt_tokens", 0);
        usage.put("completion_tokens", totalTokens);
        usage.put("total_tokens", totalTokens);
        return usage;
    }

    /**
     * The earlier messages as a conversation of their own, so the app's memory sees them: user and
     * assistant turns in pairs (system messages are the app's to set, and are left out). Null when
     * there is no earlier turn.
     */
    private String history(Caller caller, PublishedApp app, String user, List<Map<String, Object>> earlier) {
        List<String[]> turns = new ArrayList<>();
        String pending = null;
        for (int i = 0; i < earlier.size(); i++) {
            Map<String, Object> message = earlier.get(i);
            Object role = message.get("role");
            if ("user".equals(role)) {
                if (pending != null) {
                    turns.add(new String[] {pending, ""});
                }
                pending = text(message.get("content"), i);
            } else if ("assistant".equals(role)) {
                turns.add(new String[] {pending == null ? "" : pending, text(message.get("content"), i)});
                pending = null;
            } else if (!"system".equals(role) && !"developer".equals(role) && !"tool".equals(role)) {
                throw OpenAiError.invalid("messages[" + i + "].role", "Unknown role '" + role + "'.");
            }
        }
        if (pending != null) {
            turns.add(new String[] {pending, ""});
        }
        if (turns.isEmpty()) {
            return null;
        }
        ConversationRecord conversation = conversations.create(caller.workspaceId(), app.appId(), user,
                turns.get(0)[0].length() > 50 ? turns.get(0)[0].substring(0, 50) + "…" : turns.get(0)[0]);
        Instant at = Instant.now().minusSeconds(turns.size());
        for (String[] turn : turns) {
            String id = UUID.randomUUID().toString();
            conversations.messageStarted(new MessageRecord(id, conversation.id(), caller.workspaceId(), app.appId(), null,
                    turn[0], null, "running", null, at, null));
            conversations.messageFinished(new MessageRecord(id, conversation.id(), caller.workspaceId(), app.appId(),
                    null, turn[0], turn[1], "succeeded", null, at, at), Map.of());
            at = at.plusSeconds(1);
        }
        return conversation.id();
    }

    /** The text of a message's content: a string, or the text parts of an array of parts. */
    private static String text(Object content, int index) {
        if (content instanceof String text) {
            return text;
        }
        if (content instanceof List<?> parts) {
            StringBuilder text = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof Map<?, ?> p && "text".equals(p.get("type")) && p.get("text") instanceof String t) {
                    if (!text.isEmpty()) {
                        text.append('\n');
                    }
                    text.append(t);
                }
            }
            return text.toString();
        }
        if (content == null) {
            return "";
        }
        throw OpenAiError.invalid("messages[" + index + "].content", "content must be a string or an array of parts.");
    }

    /** The image parts of the last message, as the run's remote files. */
    private static List<Object> images(Object content) {
        List<Object> files = new ArrayList<>();
        if (content instanceof List<?> parts) {
            for (Object part : parts) {
                if (part instanceof Map<?, ?> p && "image_url".equals(p.get("type"))
                        && p.get("image_url") instanceof Map<?, ?> image && image.get("url") instanceof String url) {
                    files.add(Map.of("type", "image", "transfer_method", "remote_url", "url", url));
                }
            }
        }
        return files;
    }

    private PublishedApp app() {
        Caller caller = Callers.of(security);
        try {
            return service.published(caller.workspaceId(), caller.appId(), null);
        } catch (ServiceError e) {
            throw openAi(e);
        }
    }

    private static OpenAiError openAi(ServiceError e) {
        int status = e.getResponse().getStatus();
        String type = status == 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error";
        return new OpenAiError(status, type, e.code(), null, e.getMessage());
    }
}
