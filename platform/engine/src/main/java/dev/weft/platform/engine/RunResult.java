package dev.weft.platform.engine;

import dev.weft.api.workflow.RunStatus;
import java.time.Duration;
import java.util.Map;

/**
 * How a run ended.
 *
 * @param outputs the merged outputs of its end nodes (and {@code answer} for chatflows)
 * @param conversation the conversation variables as the run left them
 */
public record RunResult(String runId, RunStatus status, Map<String, Object> outputs, String error, int steps,
        int exceptions, long tokens, Duration elapsed, Map<String, Object> conversation) {
}
