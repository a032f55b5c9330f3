package dev.weft.node.testing;

import dev.weft.api.core.JsonValues;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeEvent;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node context for unit tests of node types: a configuration, variables set by dotted name
 * ({@code "start.query"}), and the events the node emitted.
 *
 * <pre>{@code
 * TestNodeContext context = TestNodeContext.of(Map.of("text", "{{#start.name#}}"))
 *         .with("start.name", "Ada");
 * NodeResult result = new MyNode().execute(context);
 * }</pre>
 */
public final class TestNodeContext implements NodeContext, VariableView {

    private static final Pattern REFERENCE = Pattern.compile(
            "\\{\\{#([A-Za-z0-9_]{1,50}(?:\\.[A-Za-z_][A-Za-z0-9_]{0,29}){1,10})#}}");

    private final String nodeId;
    private final Map<String, Object> config;
    private final Map<String, Object> variables = new LinkedHashMap<>();
    private final List<NodeEvent> events = new ArrayList<>();
    private boolean cancelled;
    private List<dev.weft.spi.node.ConversationTurn> history = List.of();

    private TestNodeContext(String nodeId, Map<String, Object> config) {
        this.nodeId = nodeId;
        this.config = config;
    }

    /** A context for node {@code n1} with this configuration. */
    public static TestNodeContext of(Map<String, Object> config) {
        return new TestNodeContext("n1", config);
    }

    /** A context for a node with this id and configuration. */
    public static TestNodeContext of(String nodeId, Map<String, Object> config) {
        return new TestNodeContext(nodeId, config);
    }

    /** Sets a variable, named {@code owner.name}; the value may be null. */
    public TestNodeContext with(String dotted, Object value) {
        variables.put(dotted, value);
        return this;
    }

    /** Sets the conversation's earlier turns, oldest first. */
    public TestNodeContext withHistory(List<dev.weft.spi.node.ConversationTurn> turns) {
        this.history = List.copyOf(turns);
        return this;
    }

    @Override
    public List<dev.weft.spi.node.ConversationTurn> history(int maxTurns) {
        int keep = Math.max(0, Math.min(maxTurns, history.size()));
        return history.subList(history.size() - keep, history.size());
    }

    /** Marks the run as stopped. */
    public TestNodeContext cancel() {
        cancelled = true;
        return this;
    }

    /** The events the node emitted, in order. */
    public List<NodeEvent> events() {
        return events;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public String runId() {
        return "run-1";
    }

    @Override
    public String workspaceId() {
        return "workspace-1";
    }

    @Override
    public Map<String, Object> config() {
        return config;
    }

    @Override
    public VariableView variables() {
        return this;
    }

    @Override
    public void emit(NodeEvent event) {
        events.add(event);
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public Optional<Object> get(VariableSelector selector) {
        String key = selector.nodeId() + "." + selector.name();
        if (!variables.containsKey(key)) {
            return Optional.empty();
        }
        Object value = variables.get(key);
        return selector.path().isEmpty() ? Optional.ofNullable(value) : JsonValues.at(value, selector.path());
    }

    @Override
    public String render(String template) {
        Matcher matcher = REFERENCE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            Object value = get(VariableSelector.parse(matcher.group(1))).orElse(null);
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : String.valueOf(value)));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
