package dev.weft.platform.store.internal;

import dev.weft.platform.store.AppRecord;
import dev.weft.platform.store.AppRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Apps in the {@code app} table. */
final class JdbcAppRepository implements AppRepository {

    private static final String COLUMNS =
            "id, workspace_id, name, mode, description, dsl_version, document, created_at, updated_at";

    private final Jdbc jdbc;

    JdbcAppRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public AppRecord create(String workspaceId, String name, String mode, String description, String dslVersion,
            String document) {
        UUID workspace = Jdbc.uuid(workspaceId).orElseThrow(() -> new IllegalArgumentException("no such workspace"));
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        jdbc.update("INSERT INTO app (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", id, workspace,
                limit(name, 255), mode, limit(description, 4000), dslVersion, document, now, now);
        return find(workspaceId, id.toString()).orElseThrow();
    }

    @Override
    public Optional<AppRecord> find(String workspaceId, String appId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        if (workspace.isEmpty() || app.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.one("SELECT " + COLUMNS + " FROM app WHERE workspace_id = ? AND id = ?", JdbcAppRepository::app,
                workspace.get(), app.get());
    }

    @Override
    public List<AppRecord> list(String workspaceId) {
        return Jdbc.uuid(workspaceId).map(workspace -> jdbc.query("SELECT " + COLUMNS
                + " FROM app WHERE workspace_id = ? ORDER BY created_at DESC, id", JdbcAppRepository::app, workspace))
                .orElse(List.of());
    }

    @Override
    public Optional<AppRecord> update(String workspaceId, String appId, String name, String mode, String description,
            String dslVersion, String document) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        if (workspace.isEmpty() || app.isEmpty()) {
            return Optional.empty();
        }
        int changed = jdbc.update("UPDATE app SET name = ?, mode = ?, description = ?, dsl_version = ?, document = ?,"
                + " updated_at = ? WHERE workspace_id = ? AND id = ?", limit(name, 255), mode, limit(description, 4000),
                dslVersion, document, Instant.now(), workspace.get(), app.get());
        return changed == 0 ? Optional.empty() : find(workspaceId, appId);
    }

    @Override
    public boolean delete(String workspaceId, String appId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        if (workspace.isEmpty() || app.isEmpty()) {
            return false;
        }
        boolean[] deleted = new boolean[1];
        jdbc.transaction(tx -> {
            // its conversations go with it (their variables and messages cascade); its runs stay as a log
            tx.update("DELETE FROM conversation WHERE workspace_id = ? AND app_id = ?", workspace.get(), app.get());
            deleted[0] = tx.update("DELETE FROM app WHERE workspace_id = ? AND id = ?", workspace.get(), app.get()) > 0;
        });
        return deleted[0];
    }

    private static AppRecord app(ResultSet row) throws SQLException {
        return new AppRecord(row.getObject("id", UUID.class).toString(),
                row.getObject("workspace_id", UUID.class).toString(), row.getString("name"), row.getString("mode"),
                row.getString("description"), row.getString("dsl_version"), row.getString("document"),
                Jdbc.instant(row, "created_at"), Jdbc.instant(row, "updated_at"));
    }

    private static String limit(String text, int length) {
        return text == null ? "" : text.length() <= length ? text : text.substring(0, length);
    }
}
