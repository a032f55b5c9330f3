package dev.weft.web.internal.service;

import dev.weft.platform.store.RunRecord;
import dev.weft.platform.store.RunRepository;
import dev.weft.web.internal.auth.Access;
import dev.weft.web.internal.auth.Caller;
import dev.weft.web.internal.auth.Callers;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * An app's recorded runs under {@code /v1} with its key: one run by id
 * ({@code GET /workflows/run/{id}}) and the run log ({@code GET /workflows/logs}) with Dify's
 * filters. Only runs of the key's app, in its workspace, are found.
 */
@Component(service = ServiceRunLogsResource.class)
@JakartarsResource
@Path("/v1")
@Access(Access.Kind.APP_KEY)
@Produces(MediaType.APPLICATION_JSON)
public final class ServiceRunLogsResource {

    private final RunRepository runs;

    @Context
    SecurityContext security;

    @Activate
    public ServiceRunLogsResource(@Reference RunRepository runs) {
        this.runs = runs;
    }

    @GET
    @Path("workflows/run/{runId}")
    public Map<String, Object> runRecord(@PathParam("runId") String runId) {
        Caller caller = Callers.of(security);
        RunRecord run = runs.find(caller.workspaceId(), runId).filter(r -> r.appId().equals(caller.appId()))
                .orElseThrow(() -> ServiceError.notFound("Workflow run not found."));
        return record(run);
    }

    /**
     * A time filter: an ISO-8601 instant ({@code 2026-01-31T08:00:00Z}, or with an offset), a local
     * time or a day (both taken as UTC), or seconds since 1970; null when absent; 400 when unreadable.
     */
    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            if (text.chars().allMatch(Character::isDigit)) {
                return within(name, Instant.ofEpochSecond(Long.parseLong(text)));
            }
            if (text.length() == 10) {
                return java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            }
            java.time.temporal.TemporalAccessor parsed = java.time.format.DateTimeFormatter.ISO_DATE_TIME.parse(text);
            java.time.ZoneId zone = parsed.query(java.time.temporal.TemporalQueries.zone());
            Instant at = java.time.LocalDateTime.from(parsed).atZone(zone == null ? java.time.ZoneOffset.UTC : zone)
                    .toInstant();
            return within(name, at);
        } catch (java.time.DateTimeException | NumberFormatException | ArithmeticException e) {
            throw ServiceError.invalid(name + " must be a time such as 2026-01-31T00:00:00Z");
        }
    }

    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** A time the store can compare with: from year 0 to year 9999. */
    private static Instant within(String name, Instant at) {
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw ServiceError.invalid(name + " must be a time from year 0 to year 9999");
        }
        return at;
    }

    private static Map<String, Object> record(RunRecord run) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", run.id());
        body.put("workflow_id", run.appId());
        body.put("status", run.status());
        body.put("inputs", ServiceApps.parse(run.inputs()));
        body.put("outputs", run.outputs() == null ? null : ServiceApps.parse(run.outputs()));
        body.put("error", run.error());
        body.put("total_steps", run.totalSteps());
        body.put("total_tokens", run.totalTokens());
        body.put("created_at", run.createdAt() == null ? null : run.createdAt().getEpochSecond());
        body.put("finished_at", run.finishedAt() == null ? null : run.finishedAt().getEpochSecond());
        body.put("elapsed_time", run.elapsedMillis() == null ? null : run.elapsedMillis() / 1000.0);
        return body;
    }

    /**
     * The app's runs, newest first: Dify's {@code GET /workflows/logs}, filtered by status, end user,
     * a keyword of the inputs or outputs, and {@code created_at__after} / {@code created_at__before}
     * (ISO-8601 instants, or seconds since 1970).
     */
    @GET
    @Path("workflows/logs")
    public Map<String, Object> logs(@QueryParam("status") String status, @QueryParam("page") Integer page,
            @QueryParam("limit") Integer limit, @QueryParam("created_by_end_user_session_id") String user,
            @QueryParam("keyword") String keyword, @QueryParam("created_at__after") String after,
            @QueryParam("created_at__before") String before) {
        Caller caller = Callers.of(security);
        if (keyword != null && keyword.length() > 200) {
            throw ServiceError.invalid("keyword must be at most 200 characters");
        }
        dev.weft.platform.store.RunFilter filter = new dev.weft.platform.store.RunFilter(status, "app-run", user, keyword,
                instant("created_at__after", after), instant("created_at__before", before));
        if (status != null && !List.of("succeeded", "failed", "stopped", "partial-succeeded", "running")
                .contains(status)) {
            throw ServiceError.invalid("status must be succeeded, failed or stopped");
        }
        int size = limit == null ? 20 : Math.max(1, Math.min(100, limit));
        int number = page == null ? 1 : Math.max(1, page);
        List<RunRecord> found = runs.list(caller.workspaceId(), caller.appId(), filter, (number - 1) * size, size + 1);
        int total = runs.count(caller.workspaceId(), caller.appId(), filter);
        List<Map<String, Object>> data = new ArrayList<>();
        for (RunRecord run : found.subList(0, Math.min(size, found.size()))) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", run.id());
            Map<String, Object> record = record(run);
            record.put("triggered_from", run.triggeredFrom());
            record.put("exceptions_count", run.exceptionsCount());
            item.put("workflow_run", record);
            item.put("created_from", "service-api");
            item.put("created_by_role", "end_user");
            item.put("created_by_account", null);
            item.put("created_by_end_user", run.createdBy() == null ? null
                    : Map.of("type", "service_api", "is_anonymous", false, "session_id", run.createdBy()));
            item.put("created_at", run.createdAt() == null ? null : run.createdAt().getEpochSecond());
            data.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("page", number);
        body.put("limit", size);
        body.put("total", total);
        body.put("has_more", found.size() > size);
        body.put("data", data);
        return body;
    }
}
