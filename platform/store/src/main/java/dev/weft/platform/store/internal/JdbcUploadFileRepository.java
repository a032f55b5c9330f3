package dev.weft.platform.store.internal;

import dev.weft.platform.store.UploadFileRecord;
import dev.weft.platform.store.UploadFileRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Uploaded files in {@code upload_file}, bytes included: one insert stores a file whole. */
final class JdbcUploadFileRepository implements UploadFileRepository {

    private static final String COLUMNS = "id, workspace_id, app_id, created_by_role, created_by, name, size,"
            + " extension, mime_type, created_at";

    private final Jdbc jdbc;

    JdbcUploadFileRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public UploadFileRecord create(String workspaceId, String appId, String createdByRole, String createdBy,
            String name, String extension, String mimeType, byte[] content) {
        UUID workspace = Jdbc.uuid(workspaceId).orElseThrow(() -> new IllegalArgumentException("no such workspace"));
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        jdbc.update("INSERT INTO upload_file (" + COLUMNS + ", content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id,
                workspace, appId == null ? null : Jdbc.uuid(appId).orElse(null), createdByRole, createdBy, name,
                (long) content.length, extension, mimeType, now, content);
        return new UploadFileRecord(id.toString(), workspaceId, appId, createdByRole, createdBy, name, content.length,
                extension, mimeType, now);
    }

    @Override
    public Optional<UploadFileRecord> find(String workspaceId, String fileId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> file = Jdbc.uuid(fileId);
        if (workspace.isEmpty() || file.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.one("SELECT " + COLUMNS + " FROM upload_file WHERE workspace_id = ? AND id = ?",
                JdbcUploadFileRepository::file, workspace.get(), file.get());
    }

    @Override
    public Optional<byte[]> content(String workspaceId, String fileId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> file = Jdbc.uuid(fileId);
        if (workspace.isEmpty() || file.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.one("SELECT content FROM upload_file WHERE workspace_id = ? AND id = ?", row -> row.getBytes("content"),
                workspace.get(), file.get());
    }

    private static UploadFileRecord file(ResultSet row) throws SQLException {
        return new UploadFileRecord(row.getObject("id", UUID.class).toString(),
                row.getObject("workspace_id", UUID.class).toString(), row.getString("app_id"),
                row.getString("created_by_role"), row.getString("created_by"), row.getString("name"), row.getLong("size"),
                row.getString("extension"), row.getString("mime_type"), Jdbc.instant(row, "created_at"));
    }
}
