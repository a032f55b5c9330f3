package dev.weft.platform.store.internal;

import dev.weft.platform.store.ConversationRecord;
import dev.weft.platform.store.ConversationRepository;
import dev.weft.platform.store.ConversationVariableRecord;
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
            + " answer, status, error, created_at, finished_at";
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
        return jdbc.one("SELECT id, workspace_id, app_id, user_id, name, created_at, updated_at FROM conversation"
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
                + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", uuid(message.id()), uuid(message.conversationId()),
                uuid(message.workspaceId()), uuid(message.appId()), message.runId() == null ? null : uuid(message.runId()),
                message.query() == null ? "" : message.query(), message.status(),
                message.createdAt() == null ? Instant.now() : message.createdAt());
    }

    @Override
    public void messageFinished(MessageRecord message, Map<String, String> variables) {
        Instant now = message.finishedAt() == null ? Instant.now() : message.finishedAt();
        jdbc.transaction(tx -> {
            tx.update("UPDATE message SET answer = ?, status = ?, error = ?, workflow_run_id = ?, finished_at = ?"
                    + " WHERE id = ?", message.answer(), message.status(), cut(message.error()),
                    message.runId() == null ? null : uuid(message.runId()), now, uuid(message.id()));
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

    private static ConversationRecord conversation(ResultSet row) throws SQLException {
        return new ConversationRecord(row.getString("id"), row.getString("workspace_id"), row.getString("app_id"),
                row.getString("user_id"), row.getString("name"), Jdbc.instant(row, "created_at"),
                Jdbc.instant(row, "updated_at"));
    }

    private static MessageRecord message(ResultSet row) throws SQLException {
        return new MessageRecord(row.getString("id"), row.getString("conversation_id"), row.getString("workspace_id"),
                row.getString("app_id"), row.getString("workflow_run_id"), row.getString("query"), row.getString("answer"),
                row.getString("status"), row.getString("error"), Jdbc.instant(row, "created_at"),
                Jdbc.instant(row, "finished_at"));
    }

    private static UUID uuid(String id) {
        return UUID.fromString(id);
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR);
    }
}
