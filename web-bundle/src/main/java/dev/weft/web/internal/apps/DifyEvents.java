package dev.weft.web.internal.apps;

import dev.weft.api.workflow.RunEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Run events in Dify's streaming shapes: {@code {event, task_id, workflow_run_id, data}} with
 * Dify's event names ({@code workflow_started}, {@code node_started}, {@code node_finished},
 * {@code node_retry}, {@code iteration_*}, {@code loop_*}, {@code text_chunk},
 * {@code workflow_finished}); times in seconds since the epoch, durations in seconds.
 */
public final class DifyEvents {

    /**
     * The conversation and message a chatflow run answers: every event carries their ids, answer
     * text streams as {@code message} events, and {@code message_end} comes before
     * {@code workflow_finished}.
     */
    public record Chat(String conversationId, String messageId, Instant createdAt, String mode) {

        /** A chatflow's turn. */
        public Chat(String conversationId, String messageId, Instant createdAt) {
            this(conversationId, messageId, createdAt, "advanced-chat");
        }

        /**
         * Whether the app is a prompt-and-model app ({@code chat}, {@code agent-chat},
         * {@code completion}): its stream carries messages only, no workflow or node events.
         */
        public boolean simple() {
            return !mode.equals("advanced-chat") && !mode.equals("workflow");
        }

        /** The event name of answer text: {@code agent_message} for agent apps, else {@code message}. */
        public String messageEvent() {
            return mode.equals("agent-chat") ? "agent_message" : "message";
        }
    }

    private DifyEvents() {
    }

    /** The Dify events for one run event of a chatflow (or of a workflow, when {@code chat} is null). */
    public static List<Map<String, Object>> of(RunEvent event, String workflowId, Chat chat) {
        return of(event, workflowId, chat, List.of());
    }

    /**
     * The same, with the answer's citations ({@code retriever_resources}) in the message's
     * {@code message_end}.
     */
    public static List<Map<String, Object>> of(RunEvent event, String workflowId, Chat chat,
            List<Map<String, Object>> retrieverResources) {
        if (chat == null) {
            return List.of(of(event, workflowId));
        }
        if (event instanceof RunEvent.TextChunk chunk) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("event", chat.messageEvent());
            message.put("task_id", event.runId());
            message.put("id", chat.messageId());
            message.put("answer", chunk.text());
            message.put("from_variable_selector", List.of(chunk.nodeId(), chunk.output()));
            return List.of(chatIds(message, event.runId(), chat));
        }
        if (chat.simple() && !(event instanceof RunEvent.RunFinished)) {
            return List.of();
        }
        Map<String, Object> workflowEvent = chatIds(of(event, workflowId), event.runId(), chat);
        if (event instanceof RunEvent.RunFinished finished) {
            if (chat.simple() && finished.status() != dev.weft.api.workflow.RunStatus.SUCCEEDED
                    && finished.status() != dev.weft.api.workflow.RunStatus.PARTIAL_SUCCEEDED) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("event", "error");
                error.put("task_id", event.runId());
                error.put("message_id", chat.messageId());
                error.put("conversation_id", chat.conversationId());
                error.put("status", 400);
                error.put("code", "completion_request_error");
                error.put("message", finished.error() == null ? "The model did not answer." : finished.error());
                return List.of(error);
            }
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("event", "message_end");
            end.put("task_id", event.runId());
            end.put("id", chat.messageId());
            end.put("metadata", Map.of("usage", usage(finished.totalTokens(), finished.elapsed()),
                    "retriever_resources", retrieverResources));
            end.put("files", List.of());
            return chat.simple() ? List.of(chatIds(end, event.runId(), chat))
                    : List.of(chatIds(end, event.runId(), chat), workflowEvent);
        }
        return List.of(workflowEvent);
    }

    /**
     * Dify's {@code metadata.usage} of a message: the run's tokens and latency (prices are in the
     * console's logs, which read them from the recorded model calls).
     */
    public static Map<String, Object> usage(long totalTokens, Duration elapsed) {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("prompt_tokens", 0);
        usage.put("prompt_unit_price", "0");
        usage.put("prompt_price_unit", "0");
        usage.put("prompt_price", "0");
        usage.put("completion_tokens", 0);
        usage.put("completion_unit_price", "0");
        usage.put("completion_price_unit", "0");
        usage.put("completion_price", "0");
        usage.put("total_tokens", totalTokens);
        usage.put("total_price", "0");
        usage.put("currency", "USD");
        usage.put("latency", elapsed == null ? 0 : seconds(elapsed));
        return usage;
    }

    private static Map<String, Object> chatIds(Map<String, Object> message, String runId, Chat chat) {
        message.put("conversation_id", chat.conversationId());
        message.put("message_id", chat.messageId());
        message.putIfAbsent("workflow_run_id", runId);
        message.put("created_at", chat.createdAt().getEpochSecond());
        return message;
    }

    /** The Dify form of an event, or null for events Dify does not stream. */
    public static Map<String, Object> of(RunEvent event, String workflowId) {
        Map<String, Object> data = new LinkedHashMap<>();
        String name;
        switch (event) {
            case RunEvent.RunStarted e -> {
                name = "workflow_started";
                data.put("id", e.runId());
                data.put("workflow_id", workflowId);
                data.put("inputs", e.inputs());
                data.put("created_at", seconds(e.at()));
            }
            case RunEvent.NodeStarted e -> {
                name = "node_started";
                node(data, e.executionId(), e.nodeId(), e.nodeType(), e.title(), e.index(), e.iterationId(), e.loopId());
                data.put("predecessor_node_id", e.predecessorNodeId());
                data.put("inputs", e.inputs());
                data.put("created_at", seconds(e.at()));
                data.put("extras", Map.of());
            }
            case RunEvent.NodeFinished e -> {
                name = "node_finished";
                node(data, e.executionId(), e.nodeId(), e.nodeType(), e.title(), e.index(), e.iterationId(), e.loopId());
                data.put("inputs", e.inputs());
                data.put("process_data", e.processData());
                data.put("outputs", e.outputs());
                data.put("status", e.status().wireName());
                data.put("error", e.error());
                data.put("error_type", e.errorType());
                data.put("elapsed_time", seconds(e.elapsed()));
                data.put("execution_metadata", e.metadata());
                data.put("finished_at", seconds(e.at()));
                data.put("files", List.of());
            }
            case RunEvent.NodeRetried e -> {
                name = "node_retry";
                data.put("id", e.executionId());
                data.put("node_id", e.nodeId());
                data.put("retry_index", e.attempt());
                data.put("error", e.error());
                data.put("status", "retry");
                data.put("created_at", seconds(e.at()));
            }
            case RunEvent.TextChunk e -> {
                name = "text_chunk";
                data.put("text", e.text());
                data.put("from_variable_selector", List.of(e.nodeId(), e.output()));
            }
            case RunEvent.IterationStarted e -> {
                name = "iteration_started";
                container(data, e.executionId(), e.nodeId(), "iteration", e.title(), e.at());
                data.put("inputs", e.inputs());
                data.put("metadata", Map.of("iterator_length", e.count()));
            }
            case RunEvent.IterationNext e -> {
                name = "iteration_next";
                container(data, e.executionId(), e.nodeId(), "iteration", null, e.at());
                data.put("index", e.index());
            }
            case RunEvent.IterationCompleted e -> {
                name = "iteration_completed";
                completed(data, e.executionId(), e.nodeId(), "iteration", e.status().wireName(), e.outputs(), e.error(),
                        e.elapsed(), e.steps(), e.at());
            }
            case RunEvent.LoopStarted e -> {
                name = "loop_started";
                container(data, e.executionId(), e.nodeId(), "loop", e.title(), e.at());
                data.put("inputs", e.inputs());
            }
            case RunEvent.LoopNext e -> {
                name = "loop_next";
                container(data, e.executionId(), e.nodeId(), "loop", null, e.at());
                data.put("index", e.index());
                data.put("pre_loop_output", e.previousOutputs());
            }
            case RunEvent.LoopCompleted e -> {
                name = "loop_completed";
                completed(data, e.executionId(), e.nodeId(), "loop", e.status().wireName(), e.outputs(), e.error(),
                        e.elapsed(), e.steps(), e.at());
            }
            case RunEvent.RunFinished e -> {
                name = "workflow_finished";
                data.put("id", e.runId());
                data.put("workflow_id", workflowId);
                data.put("status", e.status().wireName());
                data.put("outputs", e.outputs());
                data.put("error", e.error());
                data.put("elapsed_time", seconds(e.elapsed()));
                data.put("total_tokens", e.totalTokens());
                data.put("total_steps", e.totalSteps());
                data.put("exceptions_count", e.exceptionsCount());
                data.put("finished_at", seconds(e.at()));
                data.put("files", List.of());
            }
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("event", name);
        message.put("task_id", event.runId());
        message.put("workflow_run_id", event.runId());
        message.put("data", data);
        return message;
    }

    private static void node(Map<String, Object> data, String id, String nodeId, String type, String title, int index,
            String iterationId, String loopId) {
        data.put("id", id);
        data.put("node_id", nodeId);
        data.put("node_type", type);
        data.put("title", title);
        data.put("index", index);
        data.put("iteration_id", iterationId);
        data.put("loop_id", loopId);
    }

    private static void container(Map<String, Object> data, String id, String nodeId, String type, String title,
            Instant at) {
        data.put("id", id);
        data.put("node_id", nodeId);
        data.put("node_type", type);
        if (title != null) {
            data.put("title", title);
        }
        data.put("created_at", seconds(at));
    }

    private static void completed(Map<String, Object> data, String id, String nodeId, String type, String status,
            Map<String, Object> outputs, String error, Duration elapsed, int steps, Instant at) {
        container(data, id, nodeId, type, null, at);
        data.put("status", status);
        data.put("outputs", outputs);
        data.put("error", error);
        data.put("elapsed_time", seconds(elapsed));
        data.put("steps", steps);
        data.put("finished_at", seconds(at));
    }

    static long seconds(Instant at) {
        return at.getEpochSecond();
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
