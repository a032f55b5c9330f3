package dev.weft.example.textcase;

import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeEvent;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A node context over a fixed set of variables, for unit tests. */
final class FakeContext implements NodeContext, VariableView {

    private static final Pattern REFERENCE = Pattern.compile("\\{\\{#([^#}]+)#}}");

    private final Map<String, Object> config;
    private final Map<String, Object> variables;
    final List<NodeEvent> events = new ArrayList<>();

    FakeContext(Map<String, Object> config, Map<String, Object> variables) {
        this.config = config;
        this.variables = variables;
    }

    @Override
    public String nodeId() {
        return "n1";
    }

    @Override
    public String runId() {
        return "run-1";
    }

    @Override
    public String workspaceId() {
        return "ws-1";
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
        return false;
    }

    @Override
    public Optional<Object> get(VariableSelector selector) {
        return Optional.ofNullable(variables.get(selector.toString()));
    }

    @Override
    public String render(String template) {
        Matcher matcher = REFERENCE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            Object value = get(VariableSelector.parse(matcher.group(1))).orElse("");
            matcher.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
