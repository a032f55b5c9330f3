package dev.weft.platform.security.internal;

import dev.weft.platform.security.Account;
import dev.weft.platform.security.ApiKey;
import dev.weft.platform.security.Invitation;
import dev.weft.platform.security.Member;
import dev.weft.platform.security.Membership;
import dev.weft.platform.security.Role;
import dev.weft.platform.store.Workspace;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Every statement on the security tables ({@code account}, {@code workspace_member},
 * {@code invitation}, {@code account_session}, {@code api_key}) and the {@code workspace} rows it
 * creates: plain, standard SQL that H2 and PostgreSQL both run. Callers open a connection with
 * {@link #read} or {@link #transaction} and pass it to the statements.
 */
final class SecurityTables {

    /** Work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A row mapper. */
    @FunctionalInterface
    private interface Row<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** An account as stored, with its password hash (never printed). */
    record AccountRow(UUID id, String email, String name, String passwordHash, Instant createdAt) {

        Account account() {
            return new Account(id.toString(), email, name, createdAt);
        }

        @Override
        public String toString() {
            return "AccountRow[" + id + "]";
        }
    }

    /** A live session joined with its account. */
    record SessionRow(UUID id, AccountRow account, UUID workspaceId, String csrfToken, Instant expiresAt,
            Instant lastSeenAt) {

        @Override
        public String toString() {
            return "SessionRow[" + id + "]";
        }
    }

    /** An open invitation. */
    record InvitationRow(UUID id, UUID workspaceId, String email, Role role, Instant expiresAt) {

        Invitation invitation(String token) {
            return new Invitation(id.toString(), workspaceId.toString(), email, role, expiresAt, token);
        }
    }

    /** A member's role, as locked while checking for the last owner. */
    record MemberRole(UUID accountId, Role role) {
    }

    private final DataSource dataSource;

    SecurityTables(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    // ---- connections

    /** Runs the work on a connection in auto-commit mode. */
    <T> T read(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new SecurityStoreException(e);
        }
    }

    /** Runs the work in one transaction: committed when it returns, rolled back when it throws. */
    <T> T transaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new SecurityStoreException(e);
        }
    }

    // ---- accounts

    private static final String ACCOUNT_COLUMNS = "a.id, a.email, a.name, a.password_hash, a.created_at";

    boolean anyAccount(Connection c) throws SQLException {
        return one(c, "SELECT COUNT(*) FROM account", row -> row.getLong(1)).orElse(0L) > 0;
    }

    Optional<AccountRow> accountByEmail(Connection c, String email) throws SQLException {
        return one(c, "SELECT " + ACCOUNT_COLUMNS + " FROM account a WHERE a.email = ?", SecurityTables::account, email);
    }

    Optional<AccountRow> accountById(Connection c, UUID id) throws SQLException {
        return one(c, "SELECT " + ACCOUNT_COLUMNS + " FROM account a WHERE a.id = ?", SecurityTables::account, id);
    }

    void insertAccount(Connection c, AccountRow account) throws SQLException {
        update(c, "INSERT INTO account (id, email, name, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                account.id(), account.email(), account.name(), account.passwordHash(), account.createdAt(),
                account.createdAt());
    }

    void updatePasswordHash(Connection c, UUID accountId, String hash, Instant now) throws SQLException {
        update(c, "UPDATE account SET password_hash = ?, updated_at = ? WHERE id = ?", hash, now, accountId);
    }

    /** Replaces a password hash only if it is still the one that was checked; false when it changed meanwhile. */
    boolean replacePasswordHash(Connection c, UUID accountId, String checked, String hash, Instant now) throws SQLException {
        return update(c, "UPDATE account SET password_hash = ?, updated_at = ? WHERE id = ? AND password_hash = ?", hash, now,
                accountId, checked) == 1;
    }

    void touchLogin(Connection c, UUID accountId, Instant now) throws SQLException {
        update(c, "UPDATE account SET last_login_at = ? WHERE id = ?", now, accountId);
    }

    private static AccountRow account(ResultSet row) throws SQLException {
        return new AccountRow(row.getObject("id", UUID.class), row.getString("email"), row.getString("name"),
                row.getString("password_hash"), instant(row, "created_at"));
    }

    // ---- workspaces and members

    /** Locks the default workspace's row until the transaction ends: first-run setup runs one at a time. */
    Optional<UUID> lockDefaultWorkspace(Connection c) throws SQLException {
        return one(c, "SELECT id FROM workspace WHERE is_default = TRUE FOR UPDATE", row -> row.getObject(1, UUID.class));
    }

    boolean workspaceExists(Connection c, UUID id) throws SQLException {
        return one(c, "SELECT id FROM workspace WHERE id = ?", row -> row.getObject(1, UUID.class), id).isPresent();
    }

    Workspace insertWorkspace(Connection c, String name, Instant now) throws SQLException {
        UUID id = UUID.randomUUID();
        update(c, "INSERT INTO workspace (id, name, is_default, created_at, updated_at) VALUES (?, ?, FALSE, ?, ?)",
                id, name, now, now);
        return new Workspace(id.toString(), name, now);
    }

    void insertMember(Connection c, UUID workspaceId, UUID accountId, Role role, Instant now) throws SQLException {
        update(c, "INSERT INTO workspace_member (workspace_id, account_id, role, created_at) VALUES (?, ?, ?, ?)",
                workspaceId, accountId, role.wireName(), now);
    }

    boolean isMember(Connection c, UUID workspaceId, UUID accountId) throws SQLException {
        return role(c, workspaceId, accountId).isPresent();
    }

    Optional<Role> role(Connection c, UUID workspaceId, UUID accountId) throws SQLException {
        return one(c, "SELECT role FROM workspace_member WHERE workspace_id = ? AND account_id = ?",
                row -> role(row.getString(1)), workspaceId, accountId);
    }

    boolean memberWithEmail(Connection c, UUID workspaceId, String email) throws SQLException {
        return one(c, "SELECT m.account_id FROM workspace_member m JOIN account a ON a.id = m.account_id"
                + " WHERE m.workspace_id = ? AND a.email = ?", row -> row.getObject(1, UUID.class), workspaceId, email)
                .isPresent();
    }

    /** An account's workspaces, oldest membership first. */
    List<Membership> memberships(Connection c, UUID accountId) throws SQLException {
        return query(c, "SELECT m.workspace_id, w.name, m.role FROM workspace_member m"
                + " JOIN workspace w ON w.id = m.workspace_id WHERE m.account_id = ?"
                + " ORDER BY m.created_at, w.created_at, w.id",
                row -> new Membership(row.getObject(1, UUID.class).toString(), row.getString(2), role(row.getString(3))),
                accountId);
    }

    List<Member> members(Connection c, UUID workspaceId) throws SQLException {
        return query(c, "SELECT m.account_id, a.email, a.name, m.role, m.created_at FROM workspace_member m"
                + " JOIN account a ON a.id = m.account_id WHERE m.workspace_id = ? ORDER BY m.created_at, a.email",
                row -> new Member(row.getObject(1, UUID.class).toString(), row.getString(2), row.getString(3),
                        role(row.getString(4)), instant(row, "created_at")),
                workspaceId);
    }

    /** Locks a workspace's member rows until the transaction ends, and answers their roles. */
    List<MemberRole> lockMembers(Connection c, UUID workspaceId) throws SQLException {
        return query(c, "SELECT account_id, role FROM workspace_member WHERE workspace_id = ? FOR UPDATE",
                row -> new MemberRole(row.getObject(1, UUID.class), role(row.getString(2))), workspaceId);
    }

    void updateRole(Connection c, UUID workspaceId, UUID accountId, Role role) throws SQLException {
        update(c, "UPDATE workspace_member SET role = ? WHERE workspace_id = ? AND account_id = ?", role.wireName(),
                workspaceId, accountId);
    }

    void deleteMember(Connection c, UUID workspaceId, UUID accountId) throws SQLException {
        update(c, "DELETE FROM workspace_member WHERE workspace_id = ? AND account_id = ?", workspaceId, accountId);
    }

    // ---- invitations

    void insertInvitation(Connection c, UUID id, UUID workspaceId, String email, Role role, String tokenHash,
            UUID invitedBy, Instant now, Instant expiresAt) throws SQLException {
        update(c, "INSERT INTO invitation (id, workspace_id, email, role, token_hash, invited_by, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, workspaceId, email, role.wireName(), tokenHash, invitedBy, now,
                expiresAt);
    }

    /** Removes the open invitations of an email to a workspace: a new one replaces them. */
    void deleteOpenInvitations(Connection c, UUID workspaceId, String email) throws SQLException {
        update(c, "DELETE FROM invitation WHERE workspace_id = ? AND email = ? AND accepted_at IS NULL", workspaceId,
                email);
    }

    List<Invitation> openInvitations(Connection c, UUID workspaceId, Instant now) throws SQLException {
        return query(c, "SELECT id, workspace_id, email, role, expires_at FROM invitation"
                + " WHERE workspace_id = ? AND accepted_at IS NULL AND expires_at > ? ORDER BY created_at, id",
                row -> invitation(row).invitation(null), workspaceId, now);
    }

    Optional<InvitationRow> openInvitation(Connection c, String tokenHash, Instant now) throws SQLException {
        return one(c, "SELECT id, workspace_id, email, role, expires_at FROM invitation"
                + " WHERE token_hash = ? AND accepted_at IS NULL AND expires_at > ?",
                SecurityTables::invitation, tokenHash, now);
    }

    /** Marks an invitation used; false when it was used (or expired) meanwhile. */
    boolean acceptInvitation(Connection c, UUID id, Instant now) throws SQLException {
        return update(c, "UPDATE invitation SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL AND expires_at > ?",
                now, id, now) == 1;
    }

    private static InvitationRow invitation(ResultSet row) throws SQLException {
        return new InvitationRow(row.getObject("id", UUID.class), row.getObject("workspace_id", UUID.class),
                row.getString("email"), role(row.getString("role")), instant(row, "expires_at"));
    }

    // ---- sessions

    void insertSession(Connection c, UUID id, String tokenHash, UUID accountId, UUID workspaceId, String csrfToken,
            Instant now, Instant expiresAt) throws SQLException {
        update(c, "INSERT INTO account_session (id, token_hash, account_id, workspace_id, csrf_token, created_at,"
                + " expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, tokenHash, accountId, workspaceId,
                csrfToken, now, expiresAt, now);
    }

    /** The session of this token hash, when neither revoked nor expired. */
    Optional<SessionRow> liveSession(Connection c, String tokenHash, Instant now) throws SQLException {
        return one(c, "SELECT s.id AS session_id, s.workspace_id, s.csrf_token, s.expires_at, s.last_seen_at, "
                + ACCOUNT_COLUMNS + " FROM account_session s JOIN account a ON a.id = s.account_id"
                + " WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ?",
                row -> new SessionRow(row.getObject("session_id", UUID.class), account(row),
                        row.getObject("workspace_id", UUID.class), row.getString("csrf_token"),
                        instant(row, "expires_at"), instant(row, "last_seen_at")),
                tokenHash, now);
    }

    void touchSession(Connection c, UUID id, Instant now) throws SQLException {
        update(c, "UPDATE account_session SET last_seen_at = ? WHERE id = ?", now, id);
    }

    void setSessionWorkspace(Connection c, UUID id, UUID workspaceId) throws SQLException {
        update(c, "UPDATE account_session SET workspace_id = ? WHERE id = ?", workspaceId, id);
    }

    int revokeSession(Connection c, String tokenHash, Instant now) throws SQLException {
        return update(c, "UPDATE account_session SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                now, tokenHash);
    }

    /** Signs out every session of an account but the one with this token hash (none when null). */
    int revokeSessionsOf(Connection c, UUID accountId, String keepTokenHash, Instant now) throws SQLException {
        return keepTokenHash == null
                ? update(c, "UPDATE account_session SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL",
                        now, accountId)
                : update(c, "UPDATE account_session SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL"
                        + " AND token_hash <> ?", now, accountId, keepTokenHash);
    }

    /** Removes sessions that ended more than {@code before}; they open nothing anyway. */
    int deleteEndedSessions(Connection c, Instant before) throws SQLException {
        return update(c, "DELETE FROM account_session WHERE expires_at < ? OR revoked_at < ?", before, before);
    }

    // ---- API keys

    private static final String KEY_COLUMNS = "id, workspace_id, kind, app_id, hint, created_at, last_used_at";

    boolean appInWorkspace(Connection c, UUID appId, UUID workspaceId) throws SQLException {
        return one(c, "SELECT id FROM app WHERE id = ? AND workspace_id = ?", row -> row.getObject(1, UUID.class),
                appId, workspaceId).isPresent();
    }

    void insertKey(Connection c, ApiKey key, String keyHash, UUID createdBy) throws SQLException {
        update(c, "INSERT INTO api_key (id, workspace_id, kind, app_id, key_hash, hint, created_by, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", UUID.fromString(key.id()), UUID.fromString(key.workspaceId()),
                key.kind(), key.appId() == null ? null : UUID.fromString(key.appId()), keyHash, key.hint(), createdBy,
                key.createdAt());
    }

    /** A workspace's live keys, oldest first; {@code kind} and {@code appId} narrow when not null. */
    List<ApiKey> liveKeys(Connection c, UUID workspaceId, String kind, UUID appId) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + KEY_COLUMNS
                + " FROM api_key WHERE workspace_id = ? AND revoked_at IS NULL");
        List<Object> parameters = new ArrayList<>(List.of(workspaceId));
        if (kind != null) {
            sql.append(" AND kind = ?");
            parameters.add(kind);
        }
        if (appId != null) {
            sql.append(" AND app_id = ?");
            parameters.add(appId);
        }
        sql.append(" ORDER BY created_at, id");
        return query(c, sql.toString(), SecurityTables::key, parameters.toArray());
    }

    Optional<String> liveKeyHash(Connection c, UUID workspaceId, UUID keyId) throws SQLException {
        return one(c, "SELECT key_hash FROM api_key WHERE id = ? AND workspace_id = ? AND revoked_at IS NULL",
                row -> row.getString(1), keyId, workspaceId);
    }

    boolean revokeKey(Connection c, UUID workspaceId, UUID keyId, Instant now) throws SQLException {
        return update(c, "UPDATE api_key SET revoked_at = ? WHERE id = ? AND workspace_id = ? AND revoked_at IS NULL",
                now, keyId, workspaceId) == 1;
    }

    Optional<ApiKey> liveKeyByHash(Connection c, String keyHash) throws SQLException {
        return one(c, "SELECT " + KEY_COLUMNS + " FROM api_key WHERE key_hash = ? AND revoked_at IS NULL",
                SecurityTables::key, keyHash);
    }

    /** Records a key's use, unless a use at or after {@code since} is already recorded. */
    void touchKey(Connection c, UUID keyId, Instant now, Instant since) throws SQLException {
        update(c, "UPDATE api_key SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                now, keyId, since);
    }

    private static ApiKey key(ResultSet row) throws SQLException {
        UUID app = row.getObject("app_id", UUID.class);
        return new ApiKey(row.getObject("id", UUID.class).toString(), row.getObject("workspace_id", UUID.class).toString(),
                row.getString("kind"), app == null ? null : app.toString(), row.getString("hint"),
                instant(row, "created_at"), instant(row, "last_used_at"));
    }

    // ---- helpers

    /** A UUID from text; empty for anything else, so that malformed ids read as unknown ones. */
    static Optional<UUID> uuid(String id) {
        if (id == null || id.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Role role(String wireName) {
        return Role.of(wireName).orElseThrow(() -> new IllegalStateException("unknown role in the store: " + wireName));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static <T> List<T> query(Connection c, String sql, Row<T> mapper, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> results = new ArrayList<>();
                while (rows.next()) {
                    results.add(mapper.map(rows));
                }
                return results;
            }
        }
    }

    private static <T> Optional<T> one(Connection c, String sql, Row<T> mapper, Object... parameters)
            throws SQLException {
        List<T> rows = query(c, sql, mapper, parameters);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object parameter = parameters[i];
            if (parameter == null) {
                statement.setNull(i + 1, Types.NULL);
            } else if (parameter instanceof Instant instant) {
                statement.setObject(i + 1, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
            } else {
                statement.setObject(i + 1, parameter);
            }
        }
    }
}
