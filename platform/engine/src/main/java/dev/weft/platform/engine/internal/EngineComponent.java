package dev.weft.platform.engine.internal;

import dev.weft.api.core.WeftException;
import dev.weft.api.workflow.RunEvent;
import dev.weft.api.workflow.RunListener;
import dev.weft.api.workflow.RunStatus;
import dev.weft.platform.engine.AppDefinition;
import dev.weft.platform.engine.DslImport;
import dev.weft.platform.engine.DslService;
import dev.weft.platform.engine.Issue;
import dev.weft.platform.engine.RunHandle;
import dev.weft.platform.engine.RunRequest;
import dev.weft.platform.engine.RunResult;
import dev.weft.platform.engine.WorkflowEngine;
import dev.weft.platform.engine.internal.dsl.Dependencies;
import dev.weft.platform.engine.internal.dsl.DslReader;
import dev.weft.platform.engine.internal.dsl.DslWriter;
import dev.weft.platform.engine.internal.graph.Graph;
import dev.weft.platform.engine.internal.graph.GraphReader;
import dev.weft.platform.engine.internal.graph.GraphNode;
import dev.weft.platform.engine.internal.run.Limits;
import dev.weft.platform.engine.internal.run.RunSpec;
import dev.weft.platform.engine.internal.run.Sleeper;
import dev.weft.platform.engine.internal.run.WorkflowRun;
import dev.weft.platform.registry.BundleReport;
import dev.weft.platform.registry.PluginRegistry;
import dev.weft.platform.store.ConversationRepository;
import dev.weft.platform.store.RunRepository;
import dev.weft.spi.node.NodeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine as a service: reads and writes DSL against the plug-ins installed now, and runs app
 * graphs with the node types that serve when each run starts (a run keeps them to its end, even if
 * a bundle is updated meanwhile), recording every run as it happens.
 */
@Component(service = {DslService.class, WorkflowEngine.class}, configurationPid = EngineComponent.PID)
@Designate(ocd = EngineComponent.Config.class)
public final class EngineComponent implements DslService, WorkflowEngine {

    /** Settings come from {@code conf/dev.weft.engine.cfg}. */
    public static final String PID = "dev.weft.engine";

    /** Run limits, with Dify's defaults. */
    @ObjectClassDefinition(name = "Weft workflow engine")
    public @interface Config {
        @AttributeDefinition(description = "Node executions per run")
        int max_steps() default 500;

        @AttributeDefinition(description = "Seconds a run may take")
        int max_time_seconds() default 1200;

        @AttributeDefinition(description = "Nodes of one run executing at once")
        int max_parallel() default 10;

        @AttributeDefinition(description = "Rounds a loop may run")
        int max_loop_count() default 100;
    }

    private static final Logger LOG = LoggerFactory.getLogger(EngineComponent.class);
    private static final Map<String, String> PROVIDER_ALIASES = Map.of("openai_api_compatible", "openai",
            "azure_openai", "openai", "google", "gemini", "gemini", "gemini");

    private final PluginRegistry registry;
    private final Limits limits;
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<RunListener> listeners;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile RunRepository runs;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ConversationRepository conversations;

    @Activate
    public EngineComponent(@Reference PluginRegistry registry, Config config) {
        this.registry = registry;
        this.limits = new Limits(config.max_steps(), Duration.ofSeconds(config.max_time_seconds()),
                config.max_parallel(), config.max_loop_count());
    }

    @Deactivate
    void deactivate() {
        running.values().forEach(run -> run.run.stop());
    }

    @Override
    public DslImport read(byte[] content) {
        return new DslReader(registry::nodeType, dependencies()).read(content);
    }

    @Override
    public byte[] export(AppDefinition app) {
        return DslWriter.write(app);
    }

    @Override
    public RunHandle start(RunRequest request, Consumer<RunEvent> listener) {
        AppDefinition app = request.app();
        boolean simple = !app.isGraph();
        if (simple && !ModelConfigGraph.RUNNABLE.contains(app.mode())) {
            throw new WeftException("app_not_runnable", "apps of mode '" + app.mode() + "' do not run in Weft yet");
        }
        Graph graph = graphOf(app, simple);
        String mode = simple ? ModelConfigGraph.runMode(app) : app.mode();
        String runId = UUID.randomUUID().toString();
        Map<String, Object> system = new LinkedHashMap<>();
        system.put("user_id", request.userId());
        system.put("files", request.files());
        Map<String, Object> conversation = new LinkedHashMap<>(AppGraphs.conversationDefaults(app));
        ConversationRepository store = conversations;
        ChatTurn turn = null;
        if (mode.equals("advanced-chat")) {
            system.put("query", request.query() == null ? "" : request.query());
            if (store != null) {
                turn = ChatTurn.open(store, request, conversation, runId);
                conversation = turn.variables;
                system.put("conversation_id", turn.conversationId);
                system.put("dialogue_count", turn.dialogueCount);
            } else {
                conversation.putAll(request.conversation());
                system.put("conversation_id", request.conversationId());
                system.put("dialogue_count", 0);
            }
        } else {
            conversation.putAll(request.conversation());
            if (app.mode().equals("completion") && store != null) {
                // a completion app's answer is a message, so that it can be rated and listed
                turn = ChatTurn.openCompletion(store, request, runId);
            }
        }
        RunSpec spec = new RunSpec(runId, request.workspaceId(), request.appId(), request.appId(), mode, graph,
                request.inputs(), system, AppGraphs.environment(app), conversation);

        RunRecorder recorder = new RunRecorder(runs, request.workspaceId(), request.appId(), request.triggeredFrom(),
                request.userId());
        List<RunListener> observers = listeners == null ? List.of() : listeners;
        SecretMasker masker = new SecretMasker(AppGraphs.secrets(app));
        RunWatchers watchers = new RunWatchers();
        ChatTurn citing = turn;
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        Instant startedAt = Instant.now();
        Consumer<RunEvent> sink = raw -> {
            RunEvent event = masker.mask(raw);
            if (event instanceof RunEvent.RunFinished) {
                ended.set(true);
            }
            recorder.accept(event);
            if (citing != null) {
                citing.cite(event);
            }
            for (RunListener observer : observers) {
                deliver(() -> observer.onEvent(event));
            }
            deliver(() -> listener.accept(event));
            watchers.deliver(event);
        };
        WorkflowRun run = new WorkflowRun(spec, pinned(graph), limits, Clock.systemUTC(), Sleeper.REAL, sink);
        ChatTurn chat = turn;
        if (chat != null) {
            run.beforeFinished(outcome -> chat.finish(outcome, masker::text));
            run.history(chat.history);
        }
        CompletableFuture<RunResult> result = new CompletableFuture<>();
        RunHandle handle = new RunHandle() {
            @Override
            public String runId() {
                return runId;
            }

            @Override
            public CompletableFuture<RunResult> result() {
                return result;
            }

            @Override
            public void stop() {
                run.stop();
            }

            @Override
            public String conversationId() {
                return chat == null ? null : chat.conversationId;
            }

            @Override
            public String messageId() {
                return chat == null ? null : chat.messageId;
            }

            @Override
            public Optional<AutoCloseable> watch(Consumer<RunEvent> watcher) {
                return watchers.add(watcher);
            }

            @Override
            public List<RunEvent.NodeStarted> nodesInProgress() {
                return watchers.inProgress();
            }
        };
        running.put(runId, new Running(request.workspaceId(), run, handle));
        Thread.ofVirtual().name("weft-run-" + runId).start(() -> {
            try {
                WorkflowRun.Outcome outcome = run.execute();
                result.complete(new RunResult(runId, outcome.status(), masker.map(outcome.outputs()),
                        masker.text(outcome.error()),
                        outcome.steps(), outcome.exceptions(), outcome.tokens(), outcome.elapsed(),
                        outcome.conversation()));
            } catch (RuntimeException | LinkageError e) {
                LOG.error("Run {} broke down", runId, e);
                if (!ended.get()) {
                    // its message, its record, its caller and its watchers still learn that it ended
                    String why = "the run broke down: " + e.getClass().getSimpleName();
                    Duration took = Duration.between(startedAt, Instant.now());
                    try {
                        if (chat != null) {
                            // stored once: a turn whose end was stored already keeps it
                            chat.finish(new WorkflowRun.Outcome(RunStatus.FAILED, Map.of(), "", why, 0, 1, 0, took, Map.of()),
                                    masker::text);
                        }
                        sink.accept(new RunEvent.RunFinished(runId, Instant.now(), RunStatus.FAILED, Map.of(), why, took,
                                0, 1, 0));
                    } catch (RuntimeException | LinkageError also) {
                        LOG.error("The end of run {} could not be told", runId, also);
                    }
                }
                result.completeExceptionally(e);
            } finally {
                running.remove(runId);
            }
        });
        return handle;
    }

    /**
     * The app's graph, read once per definition: a published version is one definition object
     * that serves many runs, and graphs are not changed by the runs that walk them.
     */
    private Graph graphOf(AppDefinition app, boolean simple) {
        Identity key = new Identity(app);
        Graph known = graphs.get(key);
        if (known != null) {
            return known;
        }
        List<Issue> issues = new ArrayList<>();
        Graph graph = simple ? GraphReader.read(ModelConfigGraph.of(app), issues) : AppGraphs.graph(app, issues);
        if (graph == null || issues.stream().anyMatch(Issue::isError)) {
            throw new WeftException("app_invalid", "the app's graph cannot run: " + issues);
        }
        if (graphs.size() >= MAX_GRAPHS) {
            graphs.clear();
        }
        graphs.put(key, graph);
        return graph;
    }

    private static final int MAX_GRAPHS = 512;
    private final Map<Identity, Graph> graphs = new java.util.concurrent.ConcurrentHashMap<>();

    /** A definition by identity: equal documents of different objects are read apart, cheaply. */
    private record Identity(AppDefinition app) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity identity && identity.app == app;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(app);
        }
    }

    @Override
    public Optional<RunHandle> find(String workspaceId, String runId) {
        Running run = runId == null ? null : running.get(runId);
        return run == null || !run.workspaceId().equals(workspaceId) ? Optional.empty() : Optional.of(run.handle());
    }

    @Override
    public boolean stop(String workspaceId, String runId) {
        Running run = running.get(runId);
        if (run == null || !run.workspaceId.equals(workspaceId)) {
            return false;
        }
        run.run.stop();
        return true;
    }

    /** The node types serving now, kept for the whole run. */
    private java.util.function.Function<String, Optional<NodeType>> pinned(Graph graph) {
        Map<String, Optional<NodeType>> types = new HashMap<>();
        for (GraphNode node : graph.nodes().values()) {
            types.computeIfAbsent(node.type(), registry::nodeType);
        }
        types.computeIfAbsent("if-else", registry::nodeType);
        return type -> types.getOrDefault(type, Optional.empty());
    }

    private static void deliver(Runnable delivery) {
        try {
            delivery.run();
        } catch (RuntimeException e) {
            LOG.warn("A run listener failed", e);
        }
    }

    /** What this installation has, as the DSL reader asks. */
    private Dependencies dependencies() {
        List<BundleReport> bundles = registry.bundles();
        return new Dependencies() {
            @Override
            public boolean hasModelProvider(String difyProviderId) {
                return has(bundles, "model-provider", providerId(difyProviderId));
            }

            @Override
            public boolean hasDataset(String datasetId) {
                return false;
            }

            @Override
            public boolean hasToolProvider(String difyProviderId) {
                return has(bundles, "tool-provider", providerId(difyProviderId));
            }
        };
    }

    private static boolean has(List<BundleReport> bundles, String kind, String id) {
        return bundles.stream().flatMap(bundle -> bundle.services().stream())
                .anyMatch(service -> service.kind().equals(kind) && service.id().equals(id));
    }

    /** Dify names providers {@code org/plugin/provider} or by older short names. */
    static String providerId(String difyProviderId) {
        String last = difyProviderId.substring(difyProviderId.lastIndexOf('/') + 1);
        return PROVIDER_ALIASES.getOrDefault(last, last);
    }

    private record Running(String workspaceId, WorkflowRun run, RunHandle handle) {
    }
}
