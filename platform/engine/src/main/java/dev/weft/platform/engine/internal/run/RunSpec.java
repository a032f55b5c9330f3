package dev.weft.platform.engine.internal.run;

import dev.weft.platform.engine.internal.graph.Graph;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a run starts from.
 *
 * @param runId the run's id, also {@code sys.workflow_run_id}
 * @param mode {@code workflow} or {@code advanced-chat}
 * @param inputs the caller's inputs, given to the start node
 * @param system the {@code sys.*} variables other than the run id (query, files, user_id...)
 * @param environment the app's environment variables by name
 * @param conversation the conversation variables by name, as the conversation holds them now
 */
public record RunSpec(String runId, String workspaceId, String appId, String workflowId, String mode, Graph graph,
        Map<String, Object> inputs, Map<String, Object> system, Map<String, Object> environment,
        Map<String, Object> conversation) {

    public RunSpec {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(graph, "graph");
        mode = mode == null ? "workflow" : mode;
        inputs = inputs == null ? Map.of() : inputs;
        system = system == null ? Map.of() : system;
        environment = environment == null ? Map.of() : environment;
        conversation = conversation == null ? Map.of() : conversation;
    }
}
