package dev.weft.platform.store.internal;

import dev.weft.platform.store.AppRecord;
import dev.weft.platform.store.AppRepository;
import dev.weft.platform.store.AppVersionRecord;
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

    @Override
    public Optional<AppVersionRecord> publish(String workspaceId, String appId, String markedName, String createdBy) {
        Optional<AppRecord> app = find(workspaceId, appId);
        if (app.isEmpty()) {
            return Optional.empty();
        }
        AppRecord draft = app.get();
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        jdbc.transaction(tx -> {
            // the row lock on the app orders concurrent publications: version numbers never repeat
            tx.update("UPDATE app SET updated_at = updated_at WHERE id = ?", UUID.fromString(draft.id()));
            tx.update("INSERT INTO app_version (id, workspace_id, app_id, version, name, mode, description, dsl_version,"
                    + " document, marked_name, created_by, created_at) SELECT ?, ?, ?,"
                    + " COALESCE(MAX(version), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ? FROM app_version WHERE app_id = ?", id,
                    UUID.fromString(draft.workspaceId()), UUID.fromString(draft.id()), draft.name(), draft.mode(),
                    limit(draft.description(), 4000), draft.dslVersion(), draft.document(), limit(markedName, 255),
                    createdBy, now, UUID.fromString(draft.id()));
            tx.update("UPDATE app SET published_version_id = ? WHERE id = ?", id, UUID.fromString(draft.id()));
        });
        return version(workspaceId, appId, id.toString());
    }

    @Override
    public List<AppVersionRecord> versions(String workspaceId, String appId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        if (workspace.isEmpty() || app.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT " + VERSION_COLUMNS + " FROM app_version WHERE workspace_id = ? AND app_id = ?"
                + " ORDER BY version DESC", JdbcAppRepository::versionRow, workspace.get(), app.get());
    }

    @Override
    public Optional<AppVersionRecord> version(String workspaceId, String appId, String versionId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        Optional<UUID> version = Jdbc.uuid(versionId);
        if (workspace.isEmpty() || app.isEmpty() || version.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.one("SELECT " + VERSION_COLUMNS + " FROM app_version WHERE workspace_id = ? AND app_id = ?"
                + " AND id = ?", JdbcAppRepository::versionRow, workspace.get(), app.get(), version.get());
    }

    @Override
    public Optional<AppVersionRecord> published(String workspaceId, String appId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        if (workspace.isEmpty() || app.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.one("SELECT " + prefixed("v.") + " FROM app a JOIN app_version v ON v.id = a.published_version_id"
                + " WHERE a.workspace_id = ? AND a.id = ?", JdbcAppRepository::versionRow, workspace.get(), app.get());
    }

    @Override
    public Optional<AppRecord> restore(String workspaceId, String appId, String versionId) {
        return version(workspaceId, appId, versionId).flatMap(version -> update(workspaceId, appId, version.name(),
                version.mode(), version.description(), version.dslVersion(), version.document()));
    }

    private static final String VERSION_COLUMNS = "id, workspace_id, app_id, version, name, mode, description,"
            + " dsl_version, document, marked_name, created_by, created_at";

    private static String prefixed(String prefix) {
        return java.util.Arrays.stream(VERSION_COLUMNS.split(", ")).map(c -> prefix + c)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static AppVersionRecord versionRow(ResultSet row) throws SQLException {
        return new AppVersionRecord(row.getObject("id", UUID.class).toString(),
                row.getObject("workspace_id", UUID.class).toString(), row.getObject("app_id", UUID.class).toString(),
                row.getInt("version"), row.getString("name"), row.getString("mode"), row.getString("description"),
                row.getString("dsl_version"), row.getString("document"), row.getString("marked_name"),
                row.getString("created_by"), Jdbc.instant(row, "created_at"));
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
