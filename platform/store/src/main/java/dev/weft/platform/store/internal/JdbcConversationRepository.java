package dev.weft.platform.store.internal;

import dev.weft.platform.store.ConversationRecord;
import dev.weft.platform.store.ConversationRepository;
import dev.weft.platform.store.ConversationVariableRecord;
import dev.weft.platform.store.FeedbackRecord;
import dev.weft.platform.store.MessageRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Conversations in {@code conversation}, their variables and messages in their own tables. */
final class JdbcConversationRepository implements ConversationRepository {

    private static final String MESSAGE_COLUMNS = "id, conversation_id, workspace_id, app_id, workflow_run_id, query,"
            + " answer, status, error, created_at, finished_at, inputs, total_tokens, elapsed_ms";
    private static final String CONVERSATION_COLUMNS = "id, workspace_id, app_id, user_id, name, created_at, updated_at";
    private static final String FEEDBACK_COLUMNS = "message_id, workspace_id, app_id, rating, content, from_source,"
            + " created_by, created_at, updated_at";
    private static final int MAX_ERROR = 4000;

    private final Jdbc jdbc;

    JdbcConversationRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public ConversationRecord create(String workspaceId, String appId, String userId, String name) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        jdbc.update("INSERT INTO conversation (id, workspace_id, app_id, user_id, name, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", id, uuid(workspaceId), uuid(appId), userId, name == null ? "" : name,
                now, now);
        return new ConversationRecord(id.toString(), workspaceId, appId, userId, name == null ? "" : name, now, now);
    }

    @Override
    public Optional<ConversationRecord> find(String workspaceId, String conversationId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> conversation = Jdbc.uuid(conversationId);
        if (workspace.isEmpty() || conversation.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.one("SELECT " + CONVERSATION_COLUMNS + " FROM conversation"
                + " WHERE workspace_id = ? AND id = ?", JdbcConversationRepository::conversation, workspace.get(),
                conversation.get());
    }

    @Override
    public List<ConversationVariableRecord> variables(String workspaceId, String conversationId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> conversation = Jdbc.uuid(conversationId);
        if (workspace.isEmpty() || conversation.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT v.conversation_id, v.name, v.value_json, v.created_at, v.updated_at"
                + " FROM conversation_variable v JOIN conversation c ON c.id = v.conversation_id"
                + " WHERE c.workspace_id = ? AND c.id = ? ORDER BY v.name", row -> new ConversationVariableRecord(
                        row.getString("conversation_id"), row.getString("name"), row.getString("value_json"),
                        Jdbc.instant(row, "created_at"), Jdbc.instant(row, "updated_at")),
                workspace.get(), conversation.get());
    }

    @Override
    public int messageCount(String workspaceId, String conversationId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> conversation = Jdbc.uuid(conversationId);
        if (workspace.isEmpty() || conversation.isEmpty()) {
            return 0;
        }
        return jdbc.one("SELECT COUNT(*) AS n FROM message WHERE workspace_id = ? AND conversation_id = ?",
                row -> row.getInt("n"), workspace.get(), conversation.get()).orElse(0);
    }

    @Override
    public void messageStarted(MessageRecord message) {
        jdbc.update("INSERT INTO message (id, conversation_id, workspace_id, app_id, workflow_run_id, query, status,"
                + " created_at, inputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", uuid(message.id()),
                uuid(message.conversationId()), uuid(message.workspaceId()), uuid(message.appId()),
                message.runId() == null ? null : uuid(message.runId()), message.query() == null ? "" : message.query(),
                message.status(), message.createdAt() == null ? Instant.now() : message.createdAt(), message.inputs());
    }

    @Override
    public void messageFinished(MessageRecord message, Map<String, String> variables) {
        Instant now = message.finishedAt() == null ? Instant.now() : message.finishedAt();
        jdbc.transaction(tx -> {
            tx.update("UPDATE message SET answer = ?, status = ?, error = ?, workflow_run_id = ?, finished_at = ?,"
                    + " total_tokens = ?, elapsed_ms = ? WHERE id = ?", message.answer(), message.status(),
                    cut(message.error()), message.runId() == null ? null : uuid(message.runId()), now,
                    message.totalTokens(), message.elapsedMillis(), uuid(message.id()));
            for (Map.Entry<String, String> variable : variables.entrySet()) {
                int updated = tx.update("UPDATE conversation_variable SET value_json = ?, updated_at = ?"
                        + " WHERE conversation_id = ? AND name = ?", variable.getValue(), now,
                        uuid(message.conversationId()), variable.getKey());
                if (updated == 0) {
                    tx.update("INSERT INTO conversation_variable (conversation_id, name, value_json, created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?)", uuid(message.conversationId()), variable.getKey(),
                            variable.getValue(), now, now);
                }
            }
            tx.update("UPDATE conversation SET updated_at = ? WHERE id = ?", now, uuid(message.conversationId()));
        });
    }

    @Override
    public List<MessageRecord> messages(String workspaceId, String conversationId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> conversation = Jdbc.uuid(conversationId);
        if (workspace.isEmpty() || conversation.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT " + MESSAGE_COLUMNS + " FROM message WHERE workspace_id = ? AND conversation_id = ?"
                + " ORDER BY created_at, id", JdbcConversationRepository::message, workspace.get(), conversation.get());
    }

    @Override
    public int failInterrupted(String reason) {
        return jdbc.update("UPDATE message SET status = 'failed', error = ?, finished_at = ? WHERE status = 'running'",
                cut(reason), Instant.now());
    }

    @Override
    public List<ConversationRecord> list(String workspaceId, String appId, String userId, String lastId, int limit,
            String sortBy) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        if (workspace.isEmpty() || app.isEmpty() || limit <= 0) {
            return List.of();
        }
        String sort = sortBy == null ? "-updated_at" : sortBy;
        String column = sort.endsWith("created_at") ? "created_at" : "updated_at";
        boolean descending = sort.startsWith("-");
        StringBuilder sql = new StringBuilder("SELECT " + CONVERSATION_COLUMNS
                + " FROM conversation WHERE workspace_id = ? AND app_id = ?");
        List<Object> parameters = new java.util.ArrayList<>(List.of(workspace.get(), app.get()));
        if (userId != null) {
            sql.append(" AND user_id = ?");
            parameters.add(userId);
        }
        if (lastId != null && !lastId.isBlank()) {
            Optional<ConversationRecord> last = find(workspaceId, lastId).filter(c -> c.appId().equals(appId)
                    && java.util.Objects.equals(c.userId(), userId));
            if (last.isEmpty()) {
                return List.of();
            }
            Instant at = column.equals("created_at") ? last.get().createdAt() : last.get().updatedAt();
            String after = descending ? "<" : ">";
            sql.append(" AND (" + column + " " + after + " ? OR (" + column + " = ? AND id " + after + " ?))");
            parameters.add(at);
            parameters.add(at);
            parameters.add(UUID.fromString(last.get().id()));
        }
        String direction = descending ? " DESC" : " ASC";
        sql.append(" ORDER BY " + column + direction + ", id" + direction + " LIMIT ?");
        parameters.add(limit);
        return jdbc.query(sql.toString(), JdbcConversationRepository::conversation, parameters.toArray());
    }

    @Override
    public Optional<ConversationRecord> rename(String workspaceId, String conversationId, String name) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> conversation = Jdbc.uuid(conversationId);
        if (workspace.isEmpty() || conversation.isEmpty()) {
            return Optional.empty();
        }
        String trimmed = name == null ? "" : name.strip();
        int changed = jdbc.update("UPDATE conversation SET name = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
                trimmed.length() > 255 ? trimmed.substring(0, 255) : trimmed, Instant.now(), workspace.get(),
                conversation.get());
        return changed == 0 ? Optional.empty() : find(workspaceId, conversationId);
    }

    @Override
    public Optional<ConversationVariableRecord> setVariable(String workspaceId, String conversationId, String name,
            String valueJson) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> conversation = Jdbc.uuid(conversationId);
        if (workspace.isEmpty() || conversation.isEmpty() || name == null || valueJson == null) {
            return Optional.empty();
        }
        if (find(workspaceId, conversationId).isEmpty()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        try {
            // the variable's row only, as a turn that ends writes it (the turn's end comes last and wins)
            jdbc.transaction(tx -> {
                if (tx.update("UPDATE conversation_variable SET value_json = ?, updated_at = ? WHERE conversation_id = ?"
                        + " AND name = ?", valueJson, now, conversation.get(), name) == 0) {
                    tx.update("INSERT INTO conversation_variable (conversation_id, name, value_json, created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?)", conversation.get(), name, valueJson, now, now);
                }
            });
        } catch (StoreException e) {
            // deleted meanwhile: the variable's conversation is gone
            if (find(workspaceId, conversationId).isEmpty()) {
                return Optional.empty();
            }
            throw e;
        }
        return variables(workspaceId, conversationId).stream().filter(v -> v.name().equals(name)).findFirst();
    }

    @Override
    public boolean delete(String workspaceId, String conversationId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> conversation = Jdbc.uuid(conversationId);
        if (workspace.isEmpty() || conversation.isEmpty()) {
            return false;
        }
        return jdbc.update("DELETE FROM conversation WHERE workspace_id = ? AND id = ?", workspace.get(),
                conversation.get()) > 0;
    }

    @Override
    public Optional<MessageRecord> message(String workspaceId, String messageId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> message = Jdbc.uuid(messageId);
        if (workspace.isEmpty() || message.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.one("SELECT " + MESSAGE_COLUMNS + " FROM message WHERE workspace_id = ? AND id = ?",
                JdbcConversationRepository::message, workspace.get(), message.get());
    }

    @Override
    public List<MessageRecord> appMessages(String workspaceId, String appId, int offset, int limit) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        if (workspace.isEmpty() || app.isEmpty() || limit <= 0) {
            return List.of();
        }
        return jdbc.query("SELECT " + MESSAGE_COLUMNS + " FROM message WHERE workspace_id = ? AND app_id = ?"
                + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", JdbcConversationRepository::message,
                workspace.get(), app.get(), limit, Math.max(0, offset));
    }

    @Override
    public void messageFiles(String workspaceId, String messageId, String filesJson) {
        setJson("files", workspaceId, messageId, filesJson);
    }

    @Override
    public Map<String, String> messageFiles(String workspaceId, java.util.Collection<String> messageIds) {
        return json("files", workspaceId, messageIds);
    }

    @Override
    public void retrieverResources(String workspaceId, String messageId, String resourcesJson) {
        setJson("retriever_resources", workspaceId, messageId, resourcesJson);
    }

    @Override
    public Map<String, String> retrieverResources(String workspaceId, java.util.Collection<String> messageIds) {
        return json("retriever_resources", workspaceId, messageIds);
    }

    /** Sets a JSON column of a message ({@code column} is one of ours, never a caller's). */
    private void setJson(String column, String workspaceId, String messageId, String json) {
        Jdbc.uuid(workspaceId).ifPresent(workspace -> Jdbc.uuid(messageId).ifPresent(message -> jdbc.update(
                "UPDATE message SET " + column + " = ? WHERE workspace_id = ? AND id = ?", json, workspace, message)));
    }

    /** A JSON column of these messages of a workspace, by message id; messages without it are left out. */
    private Map<String, String> json(String column, String workspaceId, java.util.Collection<String> messageIds) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        List<UUID> ids = messageIds.stream().map(Jdbc::uuid).flatMap(Optional::stream).toList();
        if (workspace.isEmpty() || ids.isEmpty()) {
            return Map.of();
        }
        List<Object> parameters = new java.util.ArrayList<>();
        parameters.add(workspace.get());
        parameters.addAll(ids);
        Map<String, String> found = new java.util.HashMap<>();
        jdbc.query("SELECT id, " + column + " FROM message WHERE workspace_id = ? AND " + column + " IS NOT NULL AND id IN ("
                + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ")", row -> {
                    found.put(row.getString("id"), row.getString(column));
                    return null;
                }, parameters.toArray());
        return found;
    }

    @Override
    public void feedback(FeedbackRecord feedback) {
        UUID message = uuid(feedback.messageId());
        UUID workspace = uuid(feedback.workspaceId());
        Instant now = Instant.now();
        jdbc.transaction(tx -> {
            tx.update("DELETE FROM message_feedback WHERE message_id = ? AND workspace_id = ?", message, workspace);
            if (feedback.rating() != null) {
                tx.update("INSERT INTO message_feedback (" + FEEDBACK_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        message, workspace, uuid(feedback.appId()), feedback.rating(), cut(feedback.content()),
                        feedback.fromSource(), feedback.createdBy(), now, now);
            }
        });
    }

    @Override
    public Map<String, FeedbackRecord> feedbacks(String workspaceId, java.util.Collection<String> messageIds) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        List<UUID> ids = messageIds.stream().map(Jdbc::uuid).flatMap(Optional::stream).toList();
        if (workspace.isEmpty() || ids.isEmpty()) {
            return Map.of();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
        List<Object> parameters = new java.util.ArrayList<>();
        parameters.add(workspace.get());
        parameters.addAll(ids);
        Map<String, FeedbackRecord> found = new java.util.HashMap<>();
        jdbc.query("SELECT " + FEEDBACK_COLUMNS + " FROM message_feedback WHERE workspace_id = ? AND message_id IN ("
                + marks + ")", JdbcConversationRepository::feedback, parameters.toArray())
                .forEach(f -> found.put(f.messageId(), f));
        return found;
    }

    @Override
    public List<FeedbackRecord> appFeedbacks(String workspaceId, String appId, int offset, int limit) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        if (workspace.isEmpty() || app.isEmpty() || limit <= 0) {
            return List.of();
        }
        return jdbc.query("SELECT " + FEEDBACK_COLUMNS + " FROM message_feedback WHERE workspace_id = ? AND app_id = ?"
                + " ORDER BY created_at DESC LIMIT ? OFFSET ?", JdbcConversationRepository::feedback, workspace.get(),
                app.get(), limit, Math.max(0, offset));
    }

    private static FeedbackRecord feedback(ResultSet row) throws SQLException {
        return new FeedbackRecord(row.getString("message_id"), row.getString("workspace_id"), row.getString("app_id"),
                row.getString("rating"), row.getString("content"), row.getString("from_source"),
                row.getString("created_by"), Jdbc.instant(row, "created_at"), Jdbc.instant(row, "updated_at"));
    }

    private static ConversationRecord conversation(ResultSet row) throws SQLException {
        return new ConversationRecord(row.getString("id"), row.getString("workspace_id"), row.getString("app_id"),
                row.getString("user_id"), row.getString("name"), Jdbc.instant(row, "created_at"),
                Jdbc.instant(row, "updated_at"));
    }

    private static MessageRecord message(ResultSet row) throws SQLException {
        return new MessageRecord(row.getString("id"), row.getString("conversation_id"), row.getString("workspace_id"),
                row.getString("app_id"), row.getString("workflow_run_id"), row.getString("query"), row.getString("answer"),
                row.getString("status"), row.getString("error"), Jdbc.instant(row, "created_at"),
                Jdbc.instant(row, "finished_at"), row.getString("inputs"), row.getLong("total_tokens"),
                Jdbc.nullableLong(row, "elapsed_ms"));
    }

    private static UUID uuid(String id) {
        return UUID.fromString(id);
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR);
    }
}
