package dev.weft.platform.store.internal;

import dev.weft.platform.store.EndUserRecord;
import dev.weft.platform.store.EndUserRepository;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** End users in {@code end_user}; ids are remembered, since every service API call asks for one. */
final class JdbcEndUserRepository implements EndUserRepository {

    private static final int MAX_REMEMBERED = 100_000;

    private final Jdbc jdbc;
    private final ConcurrentHashMap<String, String> remembered = new ConcurrentHashMap<>();

    JdbcEndUserRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String endUser(String workspaceId, String appId, String sessionId) {
        UUID workspace = Jdbc.uuid(workspaceId).orElseThrow(() -> new IllegalArgumentException("no such workspace"));
        UUID app = Jdbc.uuid(appId).orElseThrow(() -> new IllegalArgumentException("no such app"));
        String key = appId + '\u0000' + sessionId;
        String known = remembered.get(key);
        if (known != null) {
            return known;
        }
        String id = find(app, sessionId).orElseGet(() -> {
            UUID created = UUID.randomUUID();
            try {
                jdbc.update("INSERT INTO end_user (id, workspace_id, app_id, session_id, created_at) VALUES (?, ?, ?, ?, ?)",
                        created, workspace, app, sessionId, Instant.now());
                return created.toString();
            } catch (StoreException e) {
                // another call created it first
                return find(app, sessionId).orElseThrow(() -> e);
            }
        });
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.clear();
        }
        remembered.put(key, id);
        return id;
    }

    @Override
    public Optional<String> sessionId(String workspaceId, String appId, String endUserId) {
        return find(workspaceId, appId, endUserId).map(EndUserRecord::sessionId);
    }

    @Override
    public Optional<EndUserRecord> find(String workspaceId, String appId, String endUserId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        Optional<UUID> user = Jdbc.uuid(endUserId);
        if (workspace.isEmpty() || app.isEmpty() || user.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.one("SELECT id, workspace_id, app_id, session_id, type, created_at FROM end_user"
                + " WHERE workspace_id = ? AND app_id = ? AND id = ?",
                row -> new EndUserRecord(row.getObject("id", UUID.class).toString(),
                        row.getObject("workspace_id", UUID.class).toString(), row.getObject("app_id", UUID.class).toString(),
                        row.getString("session_id"), row.getString("type"), Jdbc.instant(row, "created_at")),
                workspace.get(), app.get(), user.get());
    }

    private Optional<String> find(UUID app, String sessionId) {
        return jdbc.one("SELECT id FROM end_user WHERE app_id = ? AND session_id = ?",
                row -> row.getObject("id", UUID.class).toString(), app, sessionId);
    }
}
