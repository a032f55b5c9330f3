package dev.weft.web.internal.service;

import dev.weft.platform.store.ConversationRecord;
import dev.weft.platform.store.ConversationRepository;
import dev.weft.platform.store.ConversationVariableRecord;
import dev.weft.platform.store.FeedbackRecord;
import dev.weft.platform.store.MessageRecord;
import dev.weft.web.internal.apps.Citations;
import dev.weft.web.internal.apps.ConversationVariables;
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
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * An end user's conversations under {@code /v1} with an app key: their list, messages,
 * names, variables, deletion; feedback on messages and the questions suggested after an answer. A
 * conversation or message of another user, app or workspace answers 404, as an unknown id does.
 */
@Component(service = ServiceConversationsResource.class)
@JakartarsResource
@Path("/v1")
@Access(Access.Kind.APP_KEY)
@Produces(MediaType.APPLICATION_JSON)
public final class ServiceConversationsResource {

    private final ServiceApps service;
    private final ConversationRepository conversations;

    @Context
    SecurityContext security;

    @org.osgi.service.component.annotations.Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    volatile dev.weft.api.model.ModelRuntime models;

    @Activate
    public ServiceConversationsResource(@Reference ServiceApps service, @Reference ConversationRepository conversations) {
        this.service = service;
        this.conversations = conversations;
    }

    /** A body that names the end user (DELETE and rename bodies). */
    public record UserBody(String user, String name, Boolean autoGenerate) {
    }

    @GET
    @Path("conversations")
    public Map<String, Object> conversations(@QueryParam("user") String user, @QueryParam("last_id") String lastId,
            @QueryParam("limit") Integer limit, @QueryParam("sort_by") String sortBy) {
        Caller caller = Callers.of(security);
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > 100) {
            throw ServiceError.invalid("limit must be between 1 and 100");
        }
        String sort = sortBy == null ? "-updated_at" : sortBy;
        if (!List.of("created_at", "-created_at", "updated_at", "-updated_at").contains(sort)) {
            throw ServiceError.invalid("sort_by must be created_at, -created_at, updated_at or -updated_at");
        }
        requireUser(user);
        List<ConversationRecord> found = conversations.list(caller.workspaceId(), caller.appId(), user, lastId,
                size + 1, sort);
        List<Map<String, Object>> data = found.subList(0, Math.min(size, found.size())).stream()
                .map(ServiceConversationsResource::conversation).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("limit", size);
        body.put("has_more", found.size() > size);
        body.put("data", data);
        return body;
    }

    @GET
    @Path("messages")
    public Map<String, Object> messages(@QueryParam("conversation_id") String conversationId,
            @QueryParam("user") String user, @QueryParam("first_id") String firstId, @QueryParam("limit") Integer limit) {
        Caller caller = Callers.of(security);
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > 100) {
            throw ServiceError.invalid("limit must be between 1 and 100");
        }
        if (conversationId == null || conversationId.isBlank()) {
            throw ServiceError.invalid("conversation_id is required");
        }
        ConversationRecord conversation = owned(caller, conversationId, user);
        List<MessageRecord> all = conversations.messages(caller.workspaceId(), conversation.id());
        int end = all.size();
        if (firstId != null && !firstId.isBlank()) {
            end = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).id().equals(firstId)) {
                    end = i;
                }
            }
            if (end < 0) {
                throw ServiceError.notFound("First message not found.");
            }
        }
        int start = Math.max(0, end - size);
        List<MessageRecord> page = all.subList(start, end);
        Map<String, FeedbackRecord> feedback = conversations.feedbacks(caller.workspaceId(),
                page.stream().map(MessageRecord::id).toList());
        Map<String, String> sentFiles = conversations.messageFiles(caller.workspaceId(),
                page.stream().map(MessageRecord::id).toList());
        boolean cites;
        try {
            cites = AppParameters.enabled(service.published(caller.workspaceId(), caller.appId(), null).definition(),
                    "retriever_resource");
        } catch (ServiceError unpublished) {
            cites = false;
        }
        Map<String, String> cited = cites ? conversations.retrieverResources(caller.workspaceId(),
                page.stream().map(MessageRecord::id).toList()) : Map.of();
        List<Map<String, Object>> data = new ArrayList<>();
        for (MessageRecord message : page) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", message.id());
            item.put("conversation_id", message.conversationId());
            item.put("parent_message_id", null);
            item.put("inputs", message.inputs() == null ? Map.of() : ServiceApps.parse(message.inputs()));
            item.put("query", message.query());
            item.put("answer", message.answer() == null ? "" : message.answer());
            item.put("message_files", messageFiles(sentFiles.get(message.id())));
            FeedbackRecord rated = feedback.get(message.id());
            item.put("feedback", rated == null ? null : Map.of("rating", rated.rating()));
            item.put("retriever_resources", Citations.stored(cited.get(message.id())));
            item.put("agent_thoughts", List.of());
            item.put("status", message.status().equals("failed") ? "error" : "normal");
            item.put("error", message.error());
            item.put("total_tokens", message.totalTokens());
            item.put("created_at", message.createdAt() == null ? null : message.createdAt().getEpochSecond());
            data.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("limit", size);
        body.put("has_more", start > 0);
        body.put("data", data);
        return body;
    }

    @POST
    @Path("conversations/{id}/name")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> rename(@PathParam("id") String id, UserBody body) {
        Caller caller = Callers.of(security);
        UserBody request = body == null ? new UserBody(null, null, null) : body;
        ConversationRecord conversation = owned(caller, id, request.user());
        String name;
        if (Boolean.TRUE.equals(request.autoGenerate())) {
            // named after the conversation's first question, as a title would summarise it
            name = conversations.messages(caller.workspaceId(), conversation.id()).stream().findFirst()
                    .map(MessageRecord::query).map(q -> q.strip().length() > 50 ? q.strip().substring(0, 50) + "…"
                            : q.strip())
                    .orElse(conversation.name());
        } else {
            if (request.name() == null || request.name().isBlank()) {
                throw ServiceError.invalid("name is required unless auto_generate is true");
            }
            name = request.name();
        }
        return conversation(conversations.rename(caller.workspaceId(), conversation.id(), name)
                .orElseThrow(() -> ServiceError.notFound("Conversation Not Exists.")));
    }

    /** Deletes a conversation; the user comes in the body (as Dify's clients send it) or the query. */
    @DELETE
    @Path("conversations/{id}")
    public Response delete(@PathParam("id") String id, @QueryParam("user") String queryUser, UserBody body) {
        Caller caller = Callers.of(security);
        String user = body != null && body.user() != null ? body.user() : queryUser;
        ConversationRecord conversation = owned(caller, id, user);
        conversations.delete(caller.workspaceId(), conversation.id());
        return Response.noContent().build();
    }

    /**
     * A chatflow conversation's variables: each the app declares, with the value the conversation
     * holds (or its default); {@code variable_name} picks one, {@code last_id} and {@code limit}
     * (1 to 100, 20 by default) page through them.
     */
    @GET
    @Path("conversations/{id}/variables")
    public Map<String, Object> variables(@PathParam("id") String id, @QueryParam("user") String user,
            @QueryParam("last_id") String lastId, @QueryParam("limit") Integer limitOrNull,
            @QueryParam("variable_name") String variableName) {
        Caller caller = Callers.of(security);
        int limit = limitOrNull == null ? 20 : limitOrNull;
        if (limit < 1 || limit > 100) {
            throw ServiceError.invalid("limit must be between 1 and 100");
        }
        ConversationRecord conversation = owned(caller, id, user);
        PublishedApp app = service.published(caller.workspaceId(), caller.appId(), null);
        List<Map<String, Object>> all = ConversationVariables.of(app.definition().document())
                .items(conversation, conversations.variables(caller.workspaceId(), conversation.id()));
        List<Map<String, Object>> matching = all.stream()
                .filter(item -> variableName == null || variableName.isBlank() || variableName.equals(item.get("name")))
                .toList();
        int from = 0;
        if (lastId != null && !lastId.isBlank()) {
            from = matching.size();
            for (int i = 0; i < matching.size(); i++) {
                if (lastId.equals(matching.get(i).get("id"))) {
                    from = i + 1;
                    break;
                }
            }
        }
        List<Map<String, Object>> page = matching.subList(from, Math.min(matching.size(), from + limit));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("limit", limit);
        body.put("has_more", from + page.size() < matching.size());
        body.put("data", page);
        return body;
    }

    /** A new value for a conversation variable: {@code {value, user}}. */
    public record VariableBody(Object value, String user) {
    }

    /**
     * Sets a chatflow conversation's variable ({@code variable_id}: its id in the app, or its name)
     * to a value of its declared type; the next turn of the conversation starts from it.
     */
    @PUT
    @Path("conversations/{id}/variables/{variableId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> setVariable(@PathParam("id") String id, @PathParam("variableId") String variableId,
            VariableBody body) {
        Caller caller = Callers.of(security);
        VariableBody request = body == null ? new VariableBody(null, null) : body;
        ConversationRecord conversation = owned(caller, id, request.user());
        PublishedApp app = service.published(caller.workspaceId(), caller.appId(), null);
        Map<String, Object> declaration = ConversationVariables.of(app.definition().document()).find(variableId);
        if (declaration == null) {
            throw ServiceError.notFound("Conversation Variable Not Exists.");
        }
        String name = (String) declaration.get("name");
        String problem = ConversationVariables.mismatch((String) declaration.get("value_type"), request.value());
        if (problem != null) {
            throw ServiceError.invalid("Type mismatch for variable '" + name + "': " + problem);
        }
        String json;
        try {
            json = dev.weft.web.internal.json.Json.mapper().writeValueAsString(request.value());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ServiceError.invalid("value is not JSON");
        }
        ConversationVariableRecord stored = conversations.setVariable(caller.workspaceId(), conversation.id(), name, json)
                .orElseThrow(() -> ServiceError.notFound("Conversation Not Exists."));
        return ConversationVariables.item(declaration, conversation, stored);
    }

    /** A rating: {@code {rating: like | dislike | null, user, content}}. */
    public record FeedbackBody(String rating, String user, String content) {
    }

    @POST
    @Path("messages/{id}/feedbacks")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> feedback(@PathParam("id") String id, FeedbackBody body) {
        Caller caller = Callers.of(security);
        FeedbackBody request = body == null ? new FeedbackBody(null, null, null) : body;
        if (request.rating() != null && !request.rating().equals("like") && !request.rating().equals("dislike")) {
            throw ServiceError.invalid("rating must be like, dislike or null");
        }
        MessageRecord message = conversations.message(caller.workspaceId(), id)
                .filter(m -> m.appId().equals(caller.appId())).orElseThrow(() -> ServiceError.notFound("Message Not Exists."));
        owned(caller, message.conversationId(), request.user());
        conversations.feedback(new FeedbackRecord(message.id(), caller.workspaceId(), caller.appId(), request.rating(),
                request.content(), "user", request.user(), null, null));
        return Map.of("result", "success");
    }

    /** The questions the user may ask next, when the app suggests them after its answers. */
    @GET
    @Path("messages/{id}/suggested")
    public Map<String, Object> suggested(@PathParam("id") String id, @QueryParam("user") String user) {
        Caller caller = Callers.of(security);
        MessageRecord message = conversations.message(caller.workspaceId(), id)
                .filter(m -> m.appId().equals(caller.appId())).orElseThrow(() -> ServiceError.notFound("Message Not Exists."));
        ConversationRecord conversation = owned(caller, message.conversationId(), user);
        PublishedApp app = service.published(caller.workspaceId(), caller.appId(), null);
        if (!AppParameters.enabled(app.definition(), "suggested_questions_after_answer")) {
            throw new ServiceError(400, "bad_request", "Suggested Questions Is Disabled.");
        }
        dev.weft.api.model.ModelRuntime runtime = models;
        Map<?, ?> model = SuggestedQuestions.model(app.definition()).orElse(null);
        if (runtime == null || model == null) {
            throw new ServiceError(400, "provider_not_initialize", "The app has no model to suggest questions with.");
        }
        List<MessageRecord> history = new ArrayList<>();
        for (MessageRecord turn : conversations.messages(caller.workspaceId(), conversation.id())) {
            history.add(turn);
            if (turn.id().equals(message.id())) {
                break;
            }
        }
        try {
            return Map.of("result", "success", "data", SuggestedQuestions.suggest(runtime, caller.workspaceId(), model,
                    history));
        } catch (dev.weft.spi.model.ModelException e) {
            throw new ServiceError(400, "completion_request_error", e.getMessage());
        }
    }

    @GET
    @Path("app/feedbacks")
    public Map<String, Object> appFeedbacks(@QueryParam("page") Integer page, @QueryParam("limit") Integer limit) {
        Caller caller = Callers.of(security);
        int size = limit == null ? 20 : Math.max(1, Math.min(101, limit));
        int number = page == null ? 1 : Math.max(1, page);
        List<Map<String, Object>> data = new ArrayList<>();
        for (FeedbackRecord feedback : conversations.appFeedbacks(caller.workspaceId(), caller.appId(),
                (number - 1) * size, size)) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", feedback.messageId());
            item.put("app_id", feedback.appId());
            item.put("message_id", feedback.messageId());
            item.put("rating", feedback.rating());
            item.put("content", feedback.content());
            item.put("from_source", feedback.fromSource());
            item.put("from_end_user_id", feedback.createdBy());
            item.put("created_at", feedback.createdAt() == null ? null : feedback.createdAt().toString());
            item.put("updated_at", feedback.updatedAt() == null ? null : feedback.updatedAt().toString());
            data.add(item);
        }
        return Map.of("data", data);
    }

    /** Dify's {@code message_files}: what the user sent with a message. */
    private static List<Map<String, Object>> messageFiles(String json) {
        if (json == null) {
            return List.of();
        }
        List<Map<String, Object>> files = new ArrayList<>();
        if (parseValue(json) instanceof List<?> sent) {
            for (Object item : sent) {
                if (!(item instanceof Map<?, ?> file)) {
                    continue;
                }
                Object id = file.get("related_id") != null ? file.get("related_id") : file.get("upload_file_id");
                Map<String, Object> shown = new LinkedHashMap<>();
                shown.put("id", id);
                shown.put("type", file.get("type") == null ? "document" : file.get("type"));
                shown.put("transfer_method", file.get("transfer_method"));
                shown.put("filename", file.get("filename"));
                shown.put("url", "remote_url".equals(file.get("transfer_method")) ? file.get("url")
                        : id == null ? null : "/v1/files/" + id + "/preview");
                shown.put("belongs_to", "user");
                files.add(shown);
            }
        }
        return files;
    }

    /** The conversation, when it belongs to this app and this end user; 404 otherwise. */
    private ConversationRecord owned(Caller caller, String conversationId, String user) {
        requireUser(user);
        return conversations.find(caller.workspaceId(), conversationId)
                .filter(c -> c.appId().equals(caller.appId()) && user.equals(c.userId()))
                .orElseThrow(() -> ServiceError.notFound("Conversation Not Exists."));
    }

    private static void requireUser(String user) {
        if (user == null || user.isBlank()) {
            throw ServiceError.invalid("user is required");
        }
    }

    static Map<String, Object> conversation(ConversationRecord conversation) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", conversation.id());
        item.put("name", conversation.name());
        item.put("inputs", Map.of());
        item.put("status", "normal");
        item.put("introduction", "");
        item.put("created_at", conversation.createdAt() == null ? null : conversation.createdAt().getEpochSecond());
        item.put("updated_at", conversation.updatedAt() == null ? null : conversation.updatedAt().getEpochSecond());
        return item;
    }

    private static Object parseValue(String json) {
        try {
            return dev.weft.web.internal.json.Json.mapper().readValue(json, Object.class);
        } catch (IOException e) {
            return null;
        }
    }


}
