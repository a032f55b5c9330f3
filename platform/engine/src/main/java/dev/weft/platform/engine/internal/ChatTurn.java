package dev.weft.platform.engine.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.api.core.WeftException;
import dev.weft.platform.engine.RunRequest;
import dev.weft.platform.engine.internal.run.WorkflowRun;
import dev.weft.platform.store.ConversationRecord;
import dev.weft.platform.store.ConversationRepository;
import dev.weft.platform.store.ConversationVariableRecord;
import dev.weft.platform.store.MessageRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One turn of a chatflow conversation: the conversation it continues (or starts), its variables as
 * the conversation's last run left them, and the message the run answers. When the run ends, the
 * message's answer and the variables the run left are stored together, before anyone hears that the
 * run ended.
 */
final class ChatTurn {

    private static final Logger LOG = LoggerFactory.getLogger(ChatTurn.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NAME_LENGTH = 50;

    final String conversationId;
    final String messageId;
    final int dialogueCount;
    final Map<String, Object> variables;
    /** The conversation's earlier turns that were answered, oldest first. */
    final java.util.List<dev.weft.spi.node.ConversationTurn> history;
    private final ConversationRepository conversations;
    private final RunRequest request;
    private final String runId;
    private final Instant startedAt;
    private final boolean completion;
    /** The citations of the LLM node that answered last (Dify keeps the last one's). */
    private volatile java.util.List<?> retrieverResources = java.util.List.of();

    private ChatTurn(ConversationRepository conversations, RunRequest request, String runId, String conversationId,
            int dialogueCount, Map<String, Object> variables, boolean completion) {
        this.completion = completion;
        this.conversations = conversations;
        this.request = request;
        this.runId = runId;
        this.conversationId = conversationId;
        this.messageId = UUID.randomUUID().toString();
        this.dialogueCount = dialogueCount;
        this.variables = variables;
        java.util.List<dev.weft.spi.node.ConversationTurn> turns = new java.util.ArrayList<>();
        if (!completion && request.conversationId() != null && !request.conversationId().isBlank()) {
            for (MessageRecord message : conversations.messages(request.workspaceId(), conversationId)) {
                if ("succeeded".equals(message.status()) || "partial-succeeded".equals(message.status())) {
                    turns.add(new dev.weft.spi.node.ConversationTurn(message.query() == null ? "" : message.query(),
                            message.answer() == null ? "" : message.answer()));
                }
            }
        }
        this.history = java.util.List.copyOf(turns.subList(Math.max(0, turns.size() - 500), turns.size()));
        this.startedAt = Instant.now();
    }

    /**
     * Opens the turn: finds the request's conversation in its workspace and app (or starts one), reads
     * its variables over the app's defaults, and records the message as running.
     *
     * @throws WeftException {@code conversation_not_found} for a conversation of another app, another
     *         workspace, or none
     */
    static ChatTurn open(ConversationRepository conversations, RunRequest request, Map<String, Object> defaults,
            String runId) {
        return open(conversations, request, defaults, runId, false);
    }

    /**
     * Opens the turn of a completion app: every call is a conversation of its own with one message,
     * whose answer is the run's {@code answer} output.
     */
    static ChatTurn openCompletion(ConversationRepository conversations, RunRequest request, String runId) {
        return open(conversations, request, Map.of(), runId, true);
    }

    private static ChatTurn open(ConversationRepository conversations, RunRequest request, Map<String, Object> defaults,
            String runId, boolean completion) {
        String conversationId;
        int dialogueCount;
        Map<String, Object> variables = new LinkedHashMap<>(defaults);
        if (!completion && request.conversationId() != null && !request.conversationId().isBlank()) {
            ConversationRecord conversation = conversations.find(request.workspaceId(), request.conversationId())
                    .filter(c -> c.appId().equals(request.appId()))
                    .orElseThrow(() -> new WeftException("conversation_not_found", "Conversation Not Exists."));
            conversationId = conversation.id();
            dialogueCount = conversations.messageCount(request.workspaceId(), conversationId);
            for (ConversationVariableRecord stored : conversations.variables(request.workspaceId(), conversationId)) {
                // a variable the app no longer declares is left out; one it declares keeps its stored value
                if (defaults.containsKey(stored.name())) {
                    variables.put(stored.name(), parse(stored.value()));
                }
            }
        } else {
            String query = request.query() == null ? "" : request.query().strip();
            String name = query.length() > NAME_LENGTH ? query.substring(0, NAME_LENGTH) + "…" : query;
            conversationId = conversations.create(request.workspaceId(), request.appId(), request.userId(), name).id();
            dialogueCount = 0;
        }
        variables.putAll(request.conversation());
        ChatTurn turn = new ChatTurn(conversations, request, runId, conversationId, dialogueCount, variables,
                completion);
        conversations.messageStarted(new MessageRecord(turn.messageId, conversationId, request.workspaceId(),
                request.appId(), runId, request.query() == null ? "" : request.query(), null, "running", null,
                turn.startedAt, null, json(request.inputs()), 0, null));
        return turn;
    }

    /** Takes note of a node's citations ({@code retriever_resources} in its metadata), when it has any. */
    void cite(dev.weft.api.workflow.RunEvent event) {
        if (event instanceof dev.weft.api.workflow.RunEvent.NodeFinished finished
                && finished.metadata().get("retriever_resources") instanceof java.util.List<?> cited && !cited.isEmpty()) {
            retrieverResources = cited;
        }
    }

    /** Whether the turn's end was stored (or tried): it is stored once. */
    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();

    boolean finished() {
        return finished.get();
    }

    /** Stores the answer (with secrets masked) and the conversation variables as the run left them. */
    void finish(WorkflowRun.Outcome outcome, java.util.function.UnaryOperator<String> mask) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        Map<String, String> values = new LinkedHashMap<>();
        outcome.conversation().forEach((name, value) -> values.put(name, json(value)));
        String answer = outcome.answer();
        if (completion || answer == null || answer.isEmpty()) {
            Object output = outcome.outputs() == null ? null : outcome.outputs().get("answer");
            answer = output == null ? (answer == null ? "" : answer) : String.valueOf(output);
        }
        try {
            conversations.messageFinished(new MessageRecord(messageId, conversationId, request.workspaceId(),
                    request.appId(), runId, request.query() == null ? "" : request.query(), mask.apply(answer),
                    outcome.status().wireName(), mask.apply(outcome.error()), startedAt, Instant.now(), null,
                    outcome.tokens(), outcome.elapsed() == null ? null : outcome.elapsed().toMillis()), values);
            if (!retrieverResources.isEmpty()) {
                conversations.retrieverResources(request.workspaceId(), messageId, json(retrieverResources));
            }
        } catch (RuntimeException e) {
            LOG.error("The answer of message {} and its conversation's variables could not be stored", messageId, e);
        }
    }

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return "null";
        }
    }
}
