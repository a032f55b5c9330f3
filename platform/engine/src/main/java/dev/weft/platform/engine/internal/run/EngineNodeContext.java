package dev.weft.platform.engine.internal.run;

import dev.weft.api.workflow.RunEvent;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeEvent;
import dev.weft.spi.node.VariableView;
import java.util.Map;

/** What a node sees of its run. */
final class EngineNodeContext implements NodeContext {

    private final RunContext run;
    private final String nodeId;
    private final Map<String, Object> config;
    private final VariableView variables;
    private final boolean topLevel;

    EngineNodeContext(RunContext run, String nodeId, Map<String, Object> config, VariableView variables) {
        this(run, nodeId, config, variables, false);
    }

    /** @param topLevel whether the node is at the top level of the graph, not in an iteration or loop */
    EngineNodeContext(RunContext run, String nodeId, Map<String, Object> config, VariableView variables, boolean topLevel) {
        this.topLevel = topLevel;
        this.run = run;
        this.nodeId = nodeId;
        this.config = config;
        this.variables = variables;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public String runId() {
        return run.spec.runId();
    }

    @Override
    public String workspaceId() {
        return run.spec.workspaceId();
    }

    @Override
    public Map<String, Object> config() {
        return config;
    }

    @Override
    public VariableView variables() {
        return variables;
    }

    /**
     * Streams what an answer node says. Other nodes' streamed text (a model's tokens) reaches the
     * user only through a top-level answer that shows it ({@link AnswerStreams}), or when the answer
     * or end node that shows it runs.
     */
    @Override
    public void emit(NodeEvent event) {
        if (!(event instanceof NodeEvent.TextChunk chunk) || run.stopping()) {
            return;
        }
        if ("answer".equals(config.get("type"))) {
            // a top-level answer may have been sent ahead, as far as it was known: only the rest goes now
            String text = topLevel ? run.answers.rest(nodeId, chunk.text()) : chunk.text();
            if (!text.isEmpty()) {
                run.emit(new RunEvent.TextChunk(run.spec.runId(), run.now(), nodeId, chunk.output(), text));
            }
        } else if (topLevel) {
            run.answers.chunk(nodeId, chunk.output(), chunk.text());
        }
    }

    @Override
    public java.util.List<dev.weft.spi.node.ConversationTurn> history(int maxTurns) {
        java.util.List<dev.weft.spi.node.ConversationTurn> turns = run.history;
        int keep = Math.max(0, Math.min(maxTurns, turns.size()));
        return turns.subList(turns.size() - keep, turns.size());
    }

    @Override
    public boolean isCancelled() {
        return run.stopping() || Thread.currentThread().isInterrupted();
    }
}
