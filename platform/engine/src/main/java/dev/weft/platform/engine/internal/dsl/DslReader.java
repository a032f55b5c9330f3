package dev.weft.platform.engine.internal.dsl;

import dev.weft.platform.engine.AppDefinition;
import dev.weft.platform.engine.DslImport;
import dev.weft.platform.engine.Issue;
import dev.weft.platform.engine.internal.graph.Graph;
import dev.weft.platform.engine.internal.graph.GraphNode;
import dev.weft.platform.engine.internal.graph.GraphReader;
import dev.weft.platform.engine.internal.graph.GraphValidator;
import dev.weft.spi.node.NodeType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a Dify DSL file of any version, from files without a {@code version} key through 0.7.0,
 * into an {@link AppDefinition}, collecting every error and warning.
 */
public final class DslReader {

    /** The newest DSL version this reader knows. */
    public static final String NEWEST_VERSION = "0.7.0";
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");
    private static final Set<String> GRAPH_MODES = Set.of("workflow", "advanced-chat");
    private static final Set<String> CONFIG_MODES = Set.of("chat", "agent-chat", "completion");

    private final GraphValidator validator;
    private final Dependencies dependencies;

    public DslReader(Function<String, Optional<NodeType>> nodeTypes, Dependencies dependencies) {
        this.validator = new GraphValidator(nodeTypes);
        this.dependencies = dependencies;
    }

    public DslImport read(byte[] content) {
        List<Issue> issues = new ArrayList<>();
        Object root;
        try {
            root = Yaml.read(content);
        } catch (DslException e) {
            return new DslImport(null, List.of(Issue.error(e.code(), e.getMessage(), null)));
        }
        if (!(root instanceof Map<?, ?>)) {
            return failed("dsl_invalid", "not a Dify DSL file: its top level is not a mapping");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> document = new LinkedHashMap<>((Map<String, Object>) root);

        String version = version(document.get("version"), issues);
        Object kind = document.get("kind");
        if (kind != null && !"app".equals(kind)) {
            return failed("dsl_invalid", "the file holds a " + kind + ", not an app");
        }
        document.put("kind", "app");
        if (!(document.get("app") instanceof Map<?, ?> app)) {
            return failed("app_missing", "the file has no app block");
        }
        String mode = app.get("mode") instanceof String text ? text : null;
        if (mode == null) {
            return failed("app_invalid", "the app has no mode");
        }
        String name = app.get("name") == null ? "Untitled" : String.valueOf(app.get("name"));
        String description = app.get("description") instanceof String text ? text : "";

        if (GRAPH_MODES.contains(mode)) {
            readWorkflow(document.get("workflow"), issues);
        } else if (CONFIG_MODES.contains(mode)) {
            readModelConfig(document.get("model_config"), issues);
        } else if (mode.equals("agent")) {
            issues.add(Issue.warning("app_mode_unsupported", "Weft does not run apps of mode 'agent' (Dify's New Agent)"
                    + " yet; the app imports but cannot run", null));
        } else {
            return failed("app_invalid", "the app mode '" + mode + "' is not one Weft imports");
        }
        if (issues.stream().anyMatch(Issue::isError)) {
            return new DslImport(null, issues);
        }
        return new DslImport(new AppDefinition(mode, name, description, version, document), issues);
    }

    private static String version(Object value, List<Issue> issues) {
        if (value == null) {
            // the oldest files carry no version: Dify reads them as 0.1.0
            return "0.1.0";
        }
        String version = String.valueOf(value).strip();
        if (!VERSION.matcher(version).matches()) {
            issues.add(Issue.warning("dsl_version_invalid", "the DSL version '" + version
                    + "' is not a version number; reading it as the newest", null));
            return NEWEST_VERSION;
        }
        if (compare(version, NEWEST_VERSION) > 0) {
            issues.add(Issue.warning("dsl_version_newer", "the file was written by a newer Dify (DSL " + version
                    + "); fields Weft does not know are kept but not used", null));
        }
        return version;
    }

    private void readWorkflow(Object block, List<Issue> issues) {
        if (!(block instanceof Map<?, ?> workflow)) {
            issues.add(Issue.error("graph_missing", "the app has no workflow block", null));
            return;
        }
        Graph graph = GraphReader.read(workflow.get("graph"), issues);
        if (graph == null) {
            return;
        }
        Set<String> environment = names(workflow.get("environment_variables"), "environment", issues);
        Set<String> conversation = names(workflow.get("conversation_variables"), "conversation", issues);
        validator.check(graph, environment, conversation, issues);
        for (GraphNode node : graph.nodes().values()) {
            checkDependencies(node, issues);
        }
    }

    private static Set<String> names(Object list, String kind, List<Issue> issues) {
        Set<String> names = new LinkedHashSet<>();
        if (list == null) {
            return names;
        }
        if (!(list instanceof List<?> variables)) {
            issues.add(Issue.error("variables_invalid", "the " + kind + " variables are not a list", null));
            return names;
        }
        for (Object item : variables) {
            if (item instanceof Map<?, ?> variable && variable.get("name") instanceof String name && !name.isBlank()) {
                names.add(name);
            } else {
                issues.add(Issue.error("variables_invalid", "a " + kind + " variable has no name", null));
            }
        }
        return names;
    }

    private void checkDependencies(GraphNode node, List<Issue> issues) {
        switch (node.type()) {
            case "llm", "question-classifier", "parameter-extractor" -> checkModel(node.data().get("model"), node.id(), issues);
            case "knowledge-retrieval" -> checkDatasets(node.data().get("dataset_ids"), node.id(), issues);
            case "tool" -> checkTool(node.data().get("provider_id"), node.data().get("tool_name"), node.id(), issues);
            default -> {
            }
        }
    }

    private void readModelConfig(Object block, List<Issue> issues) {
        if (!(block instanceof Map<?, ?> config)) {
            issues.add(Issue.error("model_config_missing", "the app has no model_config block", null));
            return;
        }
        checkModel(config.get("model"), null, issues);
        if (config.get("dataset_configs") instanceof Map<?, ?> datasets
                && datasets.get("datasets") instanceof Map<?, ?> holder
                && holder.get("datasets") instanceof List<?> list) {
            List<Object> ids = new ArrayList<>();
            for (Object item : list) {
                if (item instanceof Map<?, ?> entry && entry.get("dataset") instanceof Map<?, ?> dataset) {
                    ids.add(dataset.get("id"));
                }
            }
            checkDatasets(ids, null, issues);
        }
        if (config.get("agent_mode") instanceof Map<?, ?> agent && agent.get("tools") instanceof List<?> tools) {
            for (Object item : tools) {
                if (item instanceof Map<?, ?> tool && !Boolean.FALSE.equals(tool.get("enabled"))) {
                    checkTool(tool.get("provider_id"), tool.get("tool_name"), null, issues);
                }
            }
        }
    }

    private void checkModel(Object model, String nodeId, List<Issue> issues) {
        if (model instanceof Map<?, ?> config && config.get("provider") instanceof String provider && !provider.isBlank()) {
            if (!dependencies.hasModelProvider(provider)) {
                issues.add(Issue.warning("model_provider_missing", "the model provider '" + provider + "' (model "
                        + config.get("name") + ") is not configured", nodeId));
            }
        }
    }

    private void checkDatasets(Object ids, String nodeId, List<Issue> issues) {
        if (ids instanceof List<?> list) {
            List<String> missing = list.stream().filter(id -> id != null && !dependencies.hasDataset(String.valueOf(id)))
                    .map(String::valueOf).toList();
            if (!missing.isEmpty()) {
                issues.add(Issue.warning("dataset_missing", "knowledge base(s) " + String.join(", ", missing)
                        + " do not exist in this workspace", nodeId));
            }
        }
    }

    private void checkTool(Object provider, Object tool, String nodeId, List<Issue> issues) {
        if (provider instanceof String id && !id.isBlank() && !dependencies.hasToolProvider(id)) {
            issues.add(Issue.warning("tool_missing", "the tool provider '" + id + "' (tool " + tool
                    + ") is not installed", nodeId));
        }
    }

    private static DslImport failed(String code, String message) {
        return new DslImport(null, List.of(Issue.error(code, message, null)));
    }

    /** Compares dotted versions numerically. */
    static int compare(String left, String right) {
        String[] a = left.split("\\.");
        String[] b = right.split("\\.");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? Integer.parseInt(a[i]) : 0;
            int y = i < b.length ? Integer.parseInt(b[i]) : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }
}
