package dev.weft.web.internal.service;

import dev.weft.api.workflow.RunEvent;
import dev.weft.platform.engine.RunHandle;
import dev.weft.platform.engine.WorkflowEngine;
import dev.weft.platform.store.RunRecord;
import dev.weft.platform.store.RunRepository;
import dev.weft.web.internal.apps.DifyEvents;
import dev.weft.web.internal.auth.Access;
import dev.weft.web.internal.auth.Caller;
import dev.weft.web.internal.auth.Callers;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dify's {@code GET /v1/workflow/{workflow_run_id}/events}: a client that lost a workflow or
 * chatflow run's stream comes back to it. A run that has ended answers with its
 * {@code workflow_finished} event alone; a run in progress streams its events from now on, after,
 * with {@code include_state_snapshot=true}, its start and each node execution recorded so far. Only
 * the end user who started the run (its {@code user}) may watch it; for anyone else the run does
 * not exist.
 */
@Component(service = ServiceRunEventsResource.class)
@JakartarsResource
@Path("/v1")
@Access(Access.Kind.APP_KEY)
public final class ServiceRunEventsResource {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRunEventsResource.class);
    private static final String EVENT_STREAM = "text/event-stream";
    /** How often the record of a run in progress elsewhere (not on this node) is read for its end. */
    static final Duration POLL = Duration.ofMillis(500);

    /** How runs started through the service API are recorded: the only ones its end users may watch. */
    static final String SERVICE_RUN = "app-run";
    /** Reads of a run's record that may fail in a row before the stream gives up on it. */
    static final int MAX_READ_FAILURES = 20;

    private final WorkflowEngine engine;
    private final RunRepository runs;

    @Context
    SecurityContext security;

    @Activate
    public ServiceRunEventsResource(@Reference WorkflowEngine engine, @Reference RunRepository runs) {
        this.engine = engine;
        this.runs = runs;
    }

    @GET
    @Path("workflow/{runId}/events")
    public Response events(@PathParam("runId") String runId, @QueryParam("user") String user,
            @QueryParam("include_state_snapshot") Boolean snapshot) {
        Caller caller = Callers.of(security);
        if (user == null || user.isBlank()) {
            throw ServiceError.invalid("user is required");
        }
        RunRecord run = runs.find(caller.workspaceId(), runId)
                .filter(r -> r.appId().equals(caller.appId()) && user.equals(r.createdBy())
                        && SERVICE_RUN.equals(r.triggeredFrom()))
                .orElseThrow(() -> ServiceError.notFound("Workflow run not found."));
        ServiceStream stream = new ServiceStream(run.appId());
        RunEvent.RunFinished ended = RunReplay.finished(run);
        if (ended != null) {
            stream.accept(ended);
            stream.begin(null, () -> { });
            return sse(stream);
        }
        // watched first, held back while the records are read: no event falls between the two
        Gate gate = new Gate(stream);
        Optional<RunHandle> live = engine.find(caller.workspaceId(), run.id());
        Optional<AutoCloseable> watching = live.flatMap(handle -> handle.watch(gate));
        java.util.List<RunEvent> told = new java.util.ArrayList<>();
        if (Boolean.TRUE.equals(snapshot)) {
            try {
                // the nodes in progress first: one that ends meanwhile is then in the records
                java.util.List<RunEvent.NodeStarted> running = live.map(RunHandle::nodesInProgress)
                        .orElse(java.util.List.of());
                told.addAll(RunReplay.snapshot(run, runs.executions(caller.workspaceId(), run.id())));
                java.util.Set<String> recorded = new java.util.HashSet<>();
                told.forEach(e -> recorded.add(Gate.key(e)));
                running.stream().filter(e -> !recorded.contains(Gate.key(e))).forEach(told::add);
            } catch (RuntimeException e) {
                watching.ifPresent(ServiceRunEventsResource::close);
                throw e;
            }
        }
        gate.open(told);
        DifyEvents.Chat chat = live.filter(handle -> handle.messageId() != null && watching.isPresent())
                .map(handle -> new DifyEvents.Chat(handle.conversationId(), handle.messageId(), Instant.now()))
                .orElse(null);
        if (watching.isEmpty()) {
            // it ended since it was read, or it runs on another node: its record tells its end
            Thread.ofVirtual().name("weft-run-events-" + run.id()).start(() -> awaitEnd(caller.workspaceId(), run.id(), stream));
        }
        stream.begin(chat, () -> watching.ifPresent(ServiceRunEventsResource::close));
        return sse(stream);
    }

    /**
     * Reads the run's record until it has ended, then sends its end; stops when the client goes.
     * When the record cannot be read many times in a row, the stream ends with a failed end.
     */
    private void awaitEnd(String workspaceId, String runId, ServiceStream stream) {
        int failures = 0;
        try {
            while (!stream.closed()) {
                try {
                    Optional<RunRecord> now = runs.find(workspaceId, runId);
                    failures = 0;
                    RunEvent.RunFinished ended = now.map(RunReplay::finished).orElse(null);
                    if (now.isEmpty()) {
                        stream.accept(failedEnd(runId, "the run was deleted"));
                        return;
                    }
                    if (ended != null) {
                        stream.accept(ended);
                        return;
                    }
                } catch (RuntimeException e) {
                    if (++failures >= MAX_READ_FAILURES) {
                        LOG.warn("The record of run {} could not be read for a client watching it: {}", runId, e.getMessage());
                        stream.accept(failedEnd(runId, "the run's record could not be read"));
                        return;
                    }
                }
                Thread.sleep(POLL.toMillis() * Math.max(1, failures));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static RunEvent.RunFinished failedEnd(String runId, String why) {
        return new RunEvent.RunFinished(runId, Instant.now(), dev.weft.api.workflow.RunStatus.FAILED, java.util.Map.of(),
                why, Duration.ZERO, 0, 0, 0);
    }

    /**
     * Holds a run's live events back until what its records tell was sent, then passes them on,
     * leaving out the node starts and ends the records already told.
     */
    static final class Gate implements java.util.function.Consumer<RunEvent> {
        private final ServiceStream stream;
        private final java.util.Set<String> told = new java.util.HashSet<>();
        private java.util.List<RunEvent> held = new java.util.ArrayList<>();

        Gate(ServiceStream stream) {
            this.stream = stream;
        }

        @Override
        public synchronized void accept(RunEvent event) {
            if (held != null) {
                held.add(event);
            } else if (!told.contains(key(event))) {
                stream.accept(event);
            }
        }

        synchronized void open(java.util.List<RunEvent> recorded) {
            for (RunEvent event : recorded) {
                told.add(key(event));
                stream.accept(event);
            }
            for (RunEvent event : held) {
                if (!told.contains(key(event))) {
                    stream.accept(event);
                }
            }
            held = null;
        }

        static String key(RunEvent event) {
            return switch (event) {
                case RunEvent.RunStarted e -> "run-started";
                case RunEvent.NodeStarted e -> "started:" + e.executionId();
                case RunEvent.NodeFinished e -> "finished:" + e.executionId();
                default -> "";
            };
        }
    }

    private static void close(AutoCloseable watching) {
        try {
            watching.close();
        } catch (Exception e) {
            LOG.debug("A run watcher did not close: {}", e.getMessage());
        }
    }

    private static Response sse(ServiceStream stream) {
        return Response.ok(stream.output(), EVENT_STREAM).header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no").build();
    }
}
