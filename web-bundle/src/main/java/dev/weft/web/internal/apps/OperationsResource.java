package dev.weft.web.internal.apps;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.api.core.ValidationException;
import dev.weft.platform.store.AnnotationRepository;
import dev.weft.platform.store.AnnotationRepository.Annotation;
import dev.weft.platform.store.AppRepository;
import dev.weft.platform.store.AppStatisticsRepository;
import dev.weft.platform.store.AppStatisticsRepository.Cost;
import dev.weft.platform.store.AppStatisticsRepository.Day;
import dev.weft.platform.store.ConversationRepository;
import dev.weft.platform.store.FeedbackRecord;
import dev.weft.platform.store.MessageRecord;
import dev.weft.platform.store.RunRecord;
import dev.weft.platform.store.RunRepository;
import dev.weft.web.internal.auth.Callers;
import dev.weft.web.internal.json.Json;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
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
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code /console/api/apps/{id}/...}: what an app did and cost. Its message log (answers, feedback,
 * tokens and the price of their model calls), its run log, its statistics per day (Dify's
 * {@code statistics/daily-conversations}, {@code daily-messages}, {@code daily-end-users},
 * {@code token-costs}), and its annotations with the annotation reply setting.
 */
@Component(service = OperationsResource.class)
@JakartarsResource
@Path("/console/api/apps")
@Produces(MediaType.APPLICATION_JSON)
public final class OperationsResource {

    private final AppRepository apps;
    private final ConversationRepository conversations;
    private final RunRepository runs;
    private final AppStatisticsRepository statistics;
    private final AnnotationRepository annotations;

    @Context
    SecurityContext security;

    @org.osgi.service.component.annotations.Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    volatile dev.weft.web.internal.service.AnnotationReplies replies;

    @Activate
    public OperationsResource(@Reference AppRepository apps, @Reference ConversationRepository conversations,
            @Reference RunRepository runs, @Reference AppStatisticsRepository statistics,
            @Reference AnnotationRepository annotations) {
        this.apps = apps;
        this.conversations = conversations;
        this.runs = runs;
        this.statistics = statistics;
        this.annotations = annotations;
    }

    @GET
    @Path("{appId}/messages")
    public Map<String, Object> messages(@PathParam("appId") String appId, @QueryParam("page") Integer page,
            @QueryParam("limit") Integer limit) {
        String workspace = app(appId);
        int size = limit(limit);
        int number = page == null ? 1 : Math.max(1, page);
        List<MessageRecord> found = conversations.appMessages(workspace, appId, (number - 1) * size, size + 1);
        List<MessageRecord> shown = found.subList(0, Math.min(size, found.size()));
        Map<String, FeedbackRecord> feedback = conversations.feedbacks(workspace,
                shown.stream().map(MessageRecord::id).toList());
        Map<String, Cost> costs = statistics.runCosts(workspace,
                shown.stream().map(MessageRecord::runId).filter(java.util.Objects::nonNull).toList());
        List<Map<String, Object>> data = new ArrayList<>();
        for (MessageRecord message : shown) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", message.id());
            item.put("conversation_id", message.conversationId());
            item.put("workflow_run_id", message.runId());
            item.put("query", message.query());
            item.put("answer", message.answer());
            item.put("inputs", message.inputs() == null ? Map.of() : parse(message.inputs()));
            item.put("status", message.status());
            item.put("error", message.error());
            FeedbackRecord rated = feedback.get(message.id());
            item.put("feedback", rated == null ? null : Map.of("rating", rated.rating(), "content",
                    rated.content() == null ? "" : rated.content(), "from_source", rated.fromSource()));
            Cost cost = message.runId() == null ? null : costs.get(message.runId());
            item.put("message_tokens", cost == null ? 0 : cost.promptTokens());
            item.put("answer_tokens", cost == null ? 0 : cost.completionTokens());
            item.put("total_tokens", message.totalTokens());
            item.put("total_price", cost == null ? "0" : cost.price().toPlainString());
            item.put("currency", cost == null || cost.currency() == null ? "USD" : cost.currency());
            item.put("elapsed_time", message.elapsedMillis() == null ? null : message.elapsedMillis() / 1000.0);
            item.put("created_at", message.createdAt() == null ? null : message.createdAt().getEpochSecond());
            data.add(item);
        }
        return page(number, size, found.size() > size, data);
    }

    @GET
    @Path("{appId}/workflow-runs")
    public Map<String, Object> runs(@PathParam("appId") String appId, @QueryParam("page") Integer page,
            @QueryParam("limit") Integer limit, @QueryParam("status") String status,
            @QueryParam("triggered_from") String triggeredFrom) {
        String workspace = app(appId);
        int size = limit(limit);
        int number = page == null ? 1 : Math.max(1, page);
        List<RunRecord> found = runs.list(workspace, appId, status, triggeredFrom, null, (number - 1) * size, size + 1);
        List<RunRecord> shown = found.subList(0, Math.min(size, found.size()));
        Map<String, Cost> costs = statistics.runCosts(workspace, shown.stream().map(RunRecord::id).toList());
        List<Map<String, Object>> data = new ArrayList<>();
        for (RunRecord run : shown) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", run.id());
            item.put("status", run.status());
            item.put("triggered_from", run.triggeredFrom());
            item.put("created_by", run.createdBy());
            item.put("error", run.error());
            item.put("total_steps", run.totalSteps());
            item.put("total_tokens", run.totalTokens());
            Cost cost = costs.get(run.id());
            item.put("total_price", cost == null ? "0" : cost.price().toPlainString());
            item.put("currency", cost == null || cost.currency() == null ? "USD" : cost.currency());
            item.put("elapsed_time", run.elapsedMillis() == null ? null : run.elapsedMillis() / 1000.0);
            item.put("created_at", run.createdAt() == null ? null : run.createdAt().getEpochSecond());
            item.put("finished_at", run.finishedAt() == null ? null : run.finishedAt().getEpochSecond());
            data.add(item);
        }
        Map<String, Object> body = page(number, size, found.size() > size, data);
        body.put("total", runs.count(workspace, appId, status, triggeredFrom, null));
        return body;
    }

    @GET
    @Path("{appId}/statistics/{kind: daily-conversations|daily-messages|daily-end-users|token-costs}")
    public Map<String, Object> statistics(@PathParam("appId") String appId, @PathParam("kind") String kind,
            @QueryParam("days") Integer days) {
        String workspace = app(appId);
        int span = days == null ? 7 : days;
        if (span < 1 || span > 366) {
            throw ValidationException.of("/days", "days must be between 1 and 366");
        }
        LocalDate first = LocalDate.now(ZoneOffset.UTC).minusDays(span - 1L);
        Instant since = first.atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<LocalDate, Day> byDay = new LinkedHashMap<>();
        statistics.days(workspace, appId, since).forEach(day -> byDay.put(day.date(), day));
        Map<LocalDate, Cost> costs = kind.equals("token-costs") ? statistics.dailyCosts(workspace, appId, since) : Map.of();
        List<Map<String, Object>> data = new ArrayList<>();
        for (LocalDate date = first; !date.isAfter(LocalDate.now(ZoneOffset.UTC)); date = date.plusDays(1)) {
            Day day = byDay.get(date);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("date", date.toString());
            switch (kind) {
                case "daily-conversations" -> item.put("conversation_count", day == null ? 0 : day.conversations());
                case "daily-messages" -> item.put("message_count", day == null ? 0 : day.messages());
                case "daily-end-users" -> item.put("terminal_count", day == null ? 0 : day.endUsers());
                default -> {
                    Cost cost = costs.get(date);
                    item.put("token_count", cost == null ? (day == null ? 0 : day.tokens())
                            : cost.promptTokens() + cost.completionTokens());
                    item.put("total_price", cost == null ? "0" : cost.price().toPlainString());
                    item.put("currency", cost == null || cost.currency() == null ? "USD" : cost.currency());
                }
            }
            data.add(item);
        }
        return Map.of("data", data);
    }

    // ------------------------------------------------------------------ annotations

    @GET
    @Path("{appId}/annotations")
    public Map<String, Object> annotations(@PathParam("appId") String appId, @QueryParam("page") Integer page,
            @QueryParam("limit") Integer limit, @QueryParam("keyword") String keyword) {
        String workspace = app(appId);
        return annotationPage(annotations, workspace, appId, page, limit, keyword);
    }

    /** An annotation's body: {@code {question, answer}}. */
    public record AnnotationBody(String question, String answer) {
    }

    @POST
    @Path("{appId}/annotations")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createAnnotation(@PathParam("appId") String appId, AnnotationBody body) {
        String workspace = app(appId);
        AnnotationBody checked = checked(body);
        return Response.status(201).entity(annotation(annotations.create(workspace, appId, checked.question(),
                checked.answer()))).build();
    }

    @PUT
    @Path("{appId}/annotations/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> updateAnnotation(@PathParam("appId") String appId, @PathParam("id") String id,
            AnnotationBody body) {
        String workspace = app(appId);
        AnnotationBody checked = checked(body);
        return annotation(annotations.update(workspace, appId, id, checked.question(), checked.answer())
                .orElseThrow(() -> new NotFoundException("No such annotation.")));
    }

    @DELETE
    @Path("{appId}/annotations/{id}")
    public Response deleteAnnotation(@PathParam("appId") String appId, @PathParam("id") String id) {
        String workspace = app(appId);
        if (!annotations.delete(workspace, appId, id)) {
            throw new NotFoundException("No such annotation.");
        }
        return Response.noContent().build();
    }

    /** The reply setting: {@code {score_threshold, embedding_provider_name, embedding_model_name}}. */
    public record ReplySetting(Double scoreThreshold, String embeddingProviderName, String embeddingModelName) {
    }

    @POST
    @Path("{appId}/annotation-reply/{action: enable|disable}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> annotationReply(@PathParam("appId") String appId, @PathParam("action") String action,
            ReplySetting body) {
        String workspace = app(appId);
        Map<String, Object> answer = saveReply(annotations, workspace, appId, action, body);
        dev.weft.web.internal.service.AnnotationReplies known = replies;
        if (known != null) {
            known.forget(workspace, appId);
        }
        return answer;
    }

    public static Map<String, Object> saveReply(AnnotationRepository annotations, String workspace, String appId,
            String action, ReplySetting body) {
        double threshold = body == null || body.scoreThreshold() == null ? 0.9 : body.scoreThreshold();
        if (threshold < 0 || threshold > 1) {
            throw ValidationException.of("/score_threshold", "the score threshold must be between 0 and 1");
        }
        annotations.saveSetting(workspace, new AnnotationRepository.Setting(appId, action.equals("enable"), threshold,
                body == null ? null : blank(body.embeddingProviderName()),
                body == null ? null : blank(body.embeddingModelName())));
        // Dify answers with a job; the setting takes effect at once here, so the job is already done
        return Map.of("job_id", java.util.UUID.randomUUID().toString(), "job_status", "completed");
    }

    public static Map<String, Object> annotationPage(AnnotationRepository annotations, String workspace, String appId,
            Integer page, Integer limit, String keyword) {
        int size = limit(limit);
        int number = page == null ? 1 : Math.max(1, page);
        List<Map<String, Object>> data = annotations.list(workspace, appId, keyword, (number - 1) * size, size).stream()
                .map(OperationsResource::annotation).toList();
        int total = annotations.count(workspace, appId, keyword);
        Map<String, Object> body = page(number, size, (long) number * size < total, data);
        body.put("total", total);
        return body;
    }

    public static AnnotationBody checked(AnnotationBody body) {
        if (body == null || body.question() == null || body.question().isBlank()) {
            throw ValidationException.of("/question", "an annotation needs its question");
        }
        if (body.answer() == null || body.answer().isBlank()) {
            throw ValidationException.of("/answer", "an annotation needs its answer");
        }
        if (body.question().length() > 10_000 || body.answer().length() > 100_000) {
            throw ValidationException.of("/answer", "an annotation's question or answer is too long");
        }
        return body;
    }

    public static Map<String, Object> annotation(Annotation annotation) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", annotation.id());
        json.put("question", annotation.question());
        json.put("answer", annotation.answer());
        json.put("hit_count", annotation.hitCount());
        json.put("created_at", annotation.createdAt() == null ? null : annotation.createdAt().getEpochSecond());
        return json;
    }

    private static String blank(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static Map<String, Object> page(int page, int limit, boolean hasMore, List<Map<String, Object>> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("page", page);
        body.put("limit", limit);
        body.put("has_more", hasMore);
        body.put("data", data);
        return body;
    }

    private static int limit(Integer limit) {
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > 100) {
            throw ValidationException.of("/limit", "limit must be between 1 and 100");
        }
        return size;
    }

    /** The caller's workspace, once the app is known to be in it. */
    private String app(String appId) {
        String workspace = Callers.workspace(security);
        apps.find(workspace, appId).orElseThrow(() -> new NotFoundException("No such app."));
        return workspace;
    }

    private static Object parse(String json) {
        try {
            return Json.mapper().readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
