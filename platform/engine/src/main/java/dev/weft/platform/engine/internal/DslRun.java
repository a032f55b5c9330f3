package dev.weft.platform.engine.internal;

import dev.weft.api.model.ModelRouting;
import dev.weft.api.workflow.RunStatus;
import dev.weft.platform.engine.AppDefinition;
import dev.weft.platform.engine.DslImport;
import dev.weft.platform.engine.DslService;
import dev.weft.platform.engine.RunRequest;
import dev.weft.platform.engine.RunResult;
import dev.weft.platform.engine.WorkflowEngine;
import dev.weft.platform.store.WorkspaceRepository;
import dev.weft.spi.command.Command;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code dsl run}: imports, skips what needs what Weft cannot give yet, generates inputs, runs, reports. */
final class DslRun {

    static final Duration FILE_TIMEOUT = Duration.ofSeconds(300);
    static final String QUERY = "Hello! Please answer briefly.";
    private static final Set<String> DATASET_NODES = Set.of("knowledge-retrieval", "datasource", "knowledge-index");
    private static final Set<String> TOOL_NODES = Set.of("tool");
    private static final Set<String> AGENT_NODES = Set.of("agent");
    private static final Set<String> HUMAN_NODES = Set.of("human-input");

    private final DslService dsl;
    private final WorkflowEngine engine;
    private final java.util.function.Supplier<ModelRouting> routings;
    private final java.util.function.Supplier<WorkspaceRepository> workspaces;

    /** The platform services come as suppliers: the store and the model runtime may start after the command. */
    DslRun(DslService dsl, WorkflowEngine engine, java.util.function.Supplier<ModelRouting> routings,
            java.util.function.Supplier<WorkspaceRepository> workspaces) {
        this.dsl = dsl;
        this.engine = engine;
        this.routings = routings;
        this.workspaces = workspaces;
    }

    int run(List<String> arguments, PrintStream out, PrintStream err) {
        String baseUrl = null;
        String apiKey = null;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (argument.equals("--model-base-url") || argument.equals("--api-key")) {
                if (i + 1 >= arguments.size()) {
                    out.println("error: " + argument + " needs a value (" + DslCommand.USAGE_TEXT.replace("\n", " ") + ")");
                    return Command.USAGE;
                }
                if (argument.equals("--model-base-url")) {
                    baseUrl = arguments.get(++i);
                } else {
                    apiKey = arguments.get(++i);
                }
                continue;
            }
            Path path = Path.of(argument);
            if (!Files.exists(path)) {
                out.println("error: " + argument + " does not exist");
                return Command.USAGE;
            }
            try {
                files.addAll(DslCommand.dslFiles(path));
            } catch (IOException e) {
                out.println("error: cannot read " + argument + ": " + e.getMessage());
                return Command.FAILED;
            }
        }
        if (files.isEmpty()) {
            out.println("error: no file or folder given");
            return Command.USAGE;
        }
        String workspace = workspace();
        ModelRouting routing = baseUrl == null ? null : await(routings);
        if (baseUrl != null && routing == null) {
            out.println("error: the model runtime is not installed, so --model-base-url cannot route calls");
            return Command.FAILED;
        }
        if (workspace == null) {
            out.println("error: the store did not start");
            return Command.FAILED;
        }
        int runnable = 0;
        int succeeded = 0;
        int failed = 0;
        int skipped = 0;
        AutoCloseable route = baseUrl == null ? null : routing.routeAllTo(baseUrl, apiKey);
        try {
            for (Path file : files) {
                Outcome outcome = runOne(file, workspace);
                out.println(file + ": " + outcome.line());
                switch (outcome.kind()) {
                    case SUCCEEDED -> {
                        runnable++;
                        succeeded++;
                    }
                    case FAILED -> {
                        runnable++;
                        failed++;
                    }
                    case SKIPPED -> skipped++;
                }
            }
        } finally {
            if (route != null) {
                try {
                    route.close();
                } catch (Exception e) {
                    err.println("warning: the model route could not be closed: " + e.getMessage());
                }
            }
        }
        out.println("files=" + files.size() + " runnable=" + runnable + " succeeded=" + succeeded + " failed=" + failed
                + " skipped=" + skipped);
        return Command.OK;
    }

    enum Kind { SUCCEEDED, FAILED, SKIPPED }

    record Outcome(Kind kind, String line) {
    }

    private Outcome runOne(Path file, String workspace) {
        DslImport imported;
        try {
            imported = dsl.read(Files.readAllBytes(file));
        } catch (IOException | OutOfMemoryError e) {
            return new Outcome(Kind.FAILED, "failed: the file cannot be read");
        }
        if (!imported.imported()) {
            return new Outcome(Kind.FAILED, "failed: does not import: " + imported.errors().get(0));
        }
        AppDefinition app = imported.app();
        Optional<String> need = needs(app);
        if (need.isPresent()) {
            return new Outcome(Kind.SKIPPED, "skipped: needs " + need.get());
        }
        boolean chat = Set.of("advanced-chat", "chat", "agent-chat").contains(app.mode());
        long started = System.nanoTime();
        try {
            RunResult result = engine.start(new RunRequest(workspace, UUID.randomUUID().toString(), app, inputs(app),
                    "dsl-run", chat ? QUERY : null, List.of(), null, Map.of()), event -> { })
                    .result().get(FILE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (result.status() == RunStatus.SUCCEEDED || result.status() == RunStatus.PARTIAL_SUCCEEDED) {
                return new Outcome(Kind.SUCCEEDED, result.status().wireName() + " (" + result.steps() + " steps, " + ms + " ms)");
            }
            return new Outcome(Kind.FAILED, "failed: " + result.error());
        } catch (TimeoutException e) {
            return new Outcome(Kind.FAILED, "failed: did not finish within " + FILE_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            return new Outcome(Kind.FAILED, "failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Kind.FAILED, "failed: interrupted");
        } catch (RuntimeException e) {
            return new Outcome(Kind.FAILED, "failed: " + e.getMessage());
        }
    }

    /** What the app needs that a run from the command line cannot give it. */
    static Optional<String> needs(AppDefinition app) {
        if (app.mode().equals("agent")) {
            return Optional.of("an agent (Dify's New Agent)");
        }
        if (app.isGraph()) {
            Map<?, ?> workflow = app.document().get("workflow") instanceof Map<?, ?> w ? w : Map.of();
            Map<?, ?> graph = workflow.get("graph") instanceof Map<?, ?> g ? g : Map.of();
            List<?> nodes = graph.get("nodes") instanceof List<?> n ? n : List.of();
            for (Object item : nodes) {
                String type = item instanceof Map<?, ?> node && node.get("data") instanceof Map<?, ?> data
                        && data.get("type") instanceof String t ? t : "";
                if (DATASET_NODES.contains(type)) {
                    return Optional.of("a dataset (" + type + " node)");
                }
                if (TOOL_NODES.contains(type)) {
                    return Optional.of("a tool (tool node)");
                }
                if (AGENT_NODES.contains(type)) {
                    return Optional.of("an agent (agent node)");
                }
                if (HUMAN_NODES.contains(type)) {
                    return Optional.of("human input");
                }
                if (type.startsWith("trigger")) {
                    return Optional.of("a trigger (" + type + " node)");
                }
            }
            return Optional.empty();
        }
        Map<?, ?> config = app.document().get("model_config") instanceof Map<?, ?> c ? c : Map.of();
        if (config.get("dataset_configs") instanceof Map<?, ?> datasets && datasets.get("datasets") instanceof Map<?, ?> inner
                && inner.get("datasets") instanceof List<?> list && !list.isEmpty()) {
            return Optional.of("a dataset (the app's context)");
        }
        if (config.get("agent_mode") instanceof Map<?, ?> agent && agent.get("tools") instanceof List<?> tools
                && !tools.isEmpty() && (Boolean.TRUE.equals(agent.get("enabled")) || app.mode().equals("agent-chat"))) {
            return Optional.of("tools (an agent app)");
        }
        return Optional.empty();
    }

    /** Inputs for the app's start variables: a sample of each type, within its limits. */
    static Map<String, Object> inputs(AppDefinition app) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (Map<?, ?> variable : startVariables(app)) {
            if (!(variable.get("variable") instanceof String name)) {
                continue;
            }
            String type = variable.get("type") instanceof String t ? t : "text-input";
            int max = variable.get("max_length") instanceof Number n && n.intValue() > 0 ? n.intValue() : 48;
            Object value = switch (type) {
                case "number" -> 1;
                case "checkbox" -> true;
                case "select" -> variable.get("options") instanceof List<?> options && !options.isEmpty()
                        ? options.get(0) : "option";
                case "file" -> sampleFile();
                case "file-list" -> List.of(sampleFile());
                case "json_object" -> Map.of("sample", true);
                default -> {
                    String label = variable.get("label") instanceof String l && !l.isBlank() ? l : name;
                    String text = "A sample " + label;
                    yield text.length() > max ? text.substring(0, max) : text;
                }
            };
            inputs.put(name, value);
        }
        return inputs;
    }

    private static Map<String, Object> sampleFile() {
        return Map.of("dify_model_identity", "__dify__file__", "type", "document", "transfer_method", "remote_url",
                "remote_url", "https://example.com/sample.txt", "url", "https://example.com/sample.txt",
                "filename", "sample.txt", "extension", ".txt", "mime_type", "text/plain", "size", 14);
    }

    private static List<Map<?, ?>> startVariables(AppDefinition app) {
        List<Map<?, ?>> variables = new ArrayList<>();
        if (app.isGraph()) {
            Map<?, ?> workflow = app.document().get("workflow") instanceof Map<?, ?> w ? w : Map.of();
            Map<?, ?> graph = workflow.get("graph") instanceof Map<?, ?> g ? g : Map.of();
            for (Object item : graph.get("nodes") instanceof List<?> n ? n : List.of()) {
                if (item instanceof Map<?, ?> node && node.get("data") instanceof Map<?, ?> data && "start".equals(data.get("type"))
                        && data.get("variables") instanceof List<?> list) {
                    list.stream().filter(Map.class::isInstance).forEach(v -> variables.add((Map<?, ?>) v));
                }
            }
            return variables;
        }
        Map<?, ?> config = app.document().get("model_config") instanceof Map<?, ?> c ? c : Map.of();
        if (config.get("user_input_form") instanceof List<?> form) {
            for (Object item : form) {
                if (item instanceof Map<?, ?> entry && !entry.isEmpty()) {
                    Map.Entry<?, ?> typed = entry.entrySet().iterator().next();
                    if (typed.getValue() instanceof Map<?, ?> field) {
                        Map<Object, Object> variable = new LinkedHashMap<>(field);
                        variable.put("type", String.valueOf(typed.getKey()));
                        variables.add(variable);
                    }
                }
            }
        }
        return variables;
    }

    private String workspace() {
        WorkspaceRepository repository = await(workspaces);
        return repository == null ? null : repository.defaultWorkspace().id();
    }

    /** A platform service, once it is there (at most 30 s); null when it never comes. */
    private static <T> T await(java.util.function.Supplier<T> service) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            T found = service.get();
            if (found != null) {
                return found;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
