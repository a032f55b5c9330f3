package dev.weft.platform.store.internal;

import dev.weft.platform.store.AnnotationRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Annotations in {@code annotation}, the reply setting in {@code annotation_setting}. */
final class JdbcAnnotationRepository implements AnnotationRepository {

    private static final String COLUMNS = "id, workspace_id, app_id, question, answer, hit_count, created_at";

    private final Jdbc jdbc;

    JdbcAnnotationRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Annotation create(String workspaceId, String appId, String question, String answer) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        jdbc.update("INSERT INTO annotation (id, workspace_id, app_id, question, answer, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", id, uuid(workspaceId), uuid(appId), question, answer, now, now);
        return new Annotation(id.toString(), workspaceId, appId, question, answer, 0, now);
    }

    @Override
    public List<Annotation> list(String workspaceId, String appId, String keyword, int offset, int limit) {
        List<Object> parameters = new ArrayList<>();
        String where = where(workspaceId, appId, keyword, parameters);
        if (where == null || limit <= 0) {
            return List.of();
        }
        parameters.add(limit);
        parameters.add(Math.max(0, offset));
        return jdbc.query("SELECT " + COLUMNS + " FROM annotation WHERE " + where
                + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?", JdbcAnnotationRepository::annotation,
                parameters.toArray());
    }

    @Override
    public int count(String workspaceId, String appId, String keyword) {
        List<Object> parameters = new ArrayList<>();
        String where = where(workspaceId, appId, keyword, parameters);
        return where == null ? 0 : jdbc.one("SELECT COUNT(*) AS n FROM annotation WHERE " + where,
                row -> row.getInt("n"), parameters.toArray()).orElse(0);
    }

    private static String where(String workspaceId, String appId, String keyword, List<Object> parameters) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        if (workspace.isEmpty() || app.isEmpty()) {
            return null;
        }
        parameters.add(workspace.get());
        parameters.add(app.get());
        if (keyword == null || keyword.isBlank()) {
            return "workspace_id = ? AND app_id = ?";
        }
        String pattern = "%" + keyword.strip().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_") + "%";
        parameters.add(pattern);
        parameters.add(pattern);
        return "workspace_id = ? AND app_id = ? AND (LOWER(question) LIKE ? ESCAPE '\\' OR LOWER(answer) LIKE ? ESCAPE '\\')";
    }

    @Override
    public Optional<Annotation> update(String workspaceId, String appId, String id, String question, String answer) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        Optional<UUID> annotation = Jdbc.uuid(id);
        if (workspace.isEmpty() || app.isEmpty() || annotation.isEmpty()) {
            return Optional.empty();
        }
        int changed = jdbc.update("UPDATE annotation SET question = ?, answer = ?, updated_at = ?"
                + " WHERE workspace_id = ? AND app_id = ? AND id = ?", question, answer, Instant.now(), workspace.get(),
                app.get(), annotation.get());
        if (changed == 0) {
            return Optional.empty();
        }
        return jdbc.one("SELECT " + COLUMNS + " FROM annotation WHERE id = ?", JdbcAnnotationRepository::annotation,
                annotation.get());
    }

    @Override
    public boolean delete(String workspaceId, String appId, String id) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        Optional<UUID> annotation = Jdbc.uuid(id);
        if (workspace.isEmpty() || app.isEmpty() || annotation.isEmpty()) {
            return false;
        }
        return jdbc.update("DELETE FROM annotation WHERE workspace_id = ? AND app_id = ? AND id = ?", workspace.get(),
                app.get(), annotation.get()) > 0;
    }

    @Override
    public void hit(String workspaceId, String id) {
        Jdbc.uuid(id).ifPresent(annotation -> Jdbc.uuid(workspaceId).ifPresent(workspace -> jdbc.update(
                "UPDATE annotation SET hit_count = hit_count + 1 WHERE workspace_id = ? AND id = ?", workspace,
                annotation)));
    }

    @Override
    public Optional<Setting> setting(String workspaceId, String appId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        if (workspace.isEmpty() || app.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.one("SELECT app_id, enabled, score_threshold, embedding_provider, embedding_model"
                + " FROM annotation_setting WHERE workspace_id = ? AND app_id = ?", row -> new Setting(
                        row.getString("app_id"), row.getBoolean("enabled"), row.getDouble("score_threshold"),
                        row.getString("embedding_provider"), row.getString("embedding_model")),
                workspace.get(), app.get());
    }

    @Override
    public void saveSetting(String workspaceId, Setting setting) {
        UUID workspace = uuid(workspaceId);
        UUID app = uuid(setting.appId());
        jdbc.transaction(tx -> {
            tx.update("DELETE FROM annotation_setting WHERE app_id = ? AND workspace_id = ?", app, workspace);
            tx.update("INSERT INTO annotation_setting (app_id, workspace_id, enabled, score_threshold, embedding_provider,"
                    + " embedding_model, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", app, workspace, setting.enabled(),
                    setting.scoreThreshold(), setting.embeddingProvider(), setting.embeddingModel(), Instant.now());
        });
    }

    private static Annotation annotation(ResultSet row) throws SQLException {
        return new Annotation(row.getString("id"), row.getString("workspace_id"), row.getString("app_id"),
                row.getString("question"), row.getString("answer"), row.getInt("hit_count"),
                Jdbc.instant(row, "created_at"));
    }

    private static UUID uuid(String id) {
        return Jdbc.uuid(id).orElseThrow(() -> new IllegalArgumentException("not an id: " + id));
    }
}
