package dev.weft.platform.store.internal;

import dev.weft.api.core.ValidationException;
import dev.weft.platform.store.Workspace;
import dev.weft.platform.store.WorkspaceRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Workspaces in the {@code workspace} table. */
final class JdbcWorkspaceRepository implements WorkspaceRepository {

    private static final String COLUMNS = "id, name, created_at";

    private final DataSource dataSource;

    JdbcWorkspaceRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<Workspace> list() {
        return query("SELECT " + COLUMNS + " FROM workspace ORDER BY created_at, id", null);
    }

    @Override
    public Optional<Workspace> find(String id) {
        return uuid(id).flatMap(uuid ->
                query("SELECT " + COLUMNS + " FROM workspace WHERE id = ?", uuid).stream().findFirst());
    }

    @Override
    public Workspace defaultWorkspace() {
        return query("SELECT " + COLUMNS + " FROM workspace WHERE is_default", null).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("the store has no default workspace"));
    }

    @Override
    public Optional<Workspace> rename(String id, String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty()) {
            throw ValidationException.of("/name", "must not be blank");
        }
        if (trimmed.length() > Workspace.MAX_NAME_LENGTH) {
            throw ValidationException.of("/name", "must be at most " + Workspace.MAX_NAME_LENGTH + " characters");
        }
        Optional<UUID> uuid = uuid(id);
        if (uuid.isEmpty()) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE workspace SET name = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?")) {
            update.setString(1, trimmed);
            update.setObject(2, uuid.get());
            if (update.executeUpdate() == 0) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not rename workspace", e);
        }
        return find(id);
    }

    private List<Workspace> query(String sql, UUID parameter) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            if (parameter != null) {
                statement.setObject(1, parameter);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<Workspace> workspaces = new ArrayList<>();
                while (rows.next()) {
                    Timestamp created = rows.getTimestamp("created_at");
                    workspaces.add(new Workspace(rows.getObject("id", UUID.class).toString(),
                            rows.getString("name"), created.toInstant()));
                }
                return workspaces;
            }
        } catch (SQLException e) {
            throw new StoreException("could not read workspaces", e);
        }
    }

    private static Optional<UUID> uuid(String id) {
        if (id == null || id.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
