package dev.weft.platform.security.internal;

import dev.weft.api.core.ValidationException;
import dev.weft.api.core.Violation;
import dev.weft.api.core.WeftException;
import dev.weft.platform.security.Account;
import dev.weft.platform.security.Accounts;
import dev.weft.platform.security.Invitation;
import dev.weft.platform.security.Member;
import dev.weft.platform.security.Membership;
import dev.weft.platform.security.NewSession;
import dev.weft.platform.security.Role;
import dev.weft.platform.security.Session;
import dev.weft.platform.security.internal.SecurityTables.AccountRow;
import dev.weft.platform.security.internal.SecurityTables.MemberRole;
import dev.weft.platform.security.internal.SecurityTables.SessionRow;
import dev.weft.platform.store.Workspace;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Accounts} on the store's tables: Argon2id passwords, server-side sessions whose tokens are
 * kept only as SHA-256 digests, workspaces with members and invitations.
 *
 * <p>Nothing is cached: a session's role is read from the membership at each lookup, so a removed
 * member or a signed-out session opens nothing at once, on every node that shares the database.
 * Passwords are given as {@code char[]}: the service wipes the bytes it derives from them, and
 * leaves the caller's array to the caller (who should wipe it once done).
 */
@Component(service = Accounts.class, configurationPid = SecurityConfig.PID)
@Designate(ocd = SecurityConfig.class)
public final class AccountService implements Accounts {

    /** How long an invitation stays open. */
    /** A session's last_seen_at is written at most this often. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    /** Ended sessions are deleted this long after they ended. */
    private static final Duration KEEP_ENDED_SESSIONS = Duration.ofDays(1);

    private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);
    private static final Secrets SECRETS = new Secrets();

    private final SecurityTables tables;
    private final Clock clock;
    private final Secrets secrets;
    private final Argon2Passwords passwords;
    private final Invitations invitations;
    private volatile Duration sessionLifetime;
    /** Once true, true for good: the setup never opens again. */
    private volatile boolean setUp;

    @Activate
    public AccountService(@Reference(target = "(weft.store=main)") DataSource dataSource, SecurityConfig config) {
        this(dataSource, Clock.systemUTC(), SECRETS, new Argon2Passwords(Argon2Passwords.OWASP, SECRETS),
                Duration.ofDays(Math.max(1, Math.min(365, config.session_days()))));
        deleteEndedSessions();
    }

    /** A new session lifetime applies to sessions created from now on. */
    @org.osgi.service.component.annotations.Modified
    void modified(SecurityConfig config) {
        this.sessionLifetime = Duration.ofDays(Math.max(1, Math.min(365, config.session_days())));
    }

    AccountService(DataSource dataSource, Clock clock, Secrets secrets, Argon2Passwords passwords,
            Duration sessionLifetime) {
        this.tables = new SecurityTables(dataSource);
        this.clock = clock;
        this.secrets = secrets;
        this.passwords = passwords;
        this.sessionLifetime = sessionLifetime;
        this.invitations = new Invitations(tables, clock, secrets, passwords);
    }

    // ---- setup and sign-in

    @Override
    public boolean isSetUp() {
        if (!setUp) {
            setUp = tables.read(tables::anyAccount);
        }
        return setUp;
    }

    @Override
    public Account createOwner(String email, String name, char[] password) {
        if (isSetUp()) {
            throw alreadySetUp();
        }
        String normalisedEmail = AccountRules.normaliseEmail(email);
        String normalisedName = AccountRules.normaliseName(name);
        List<Violation> violations = new ArrayList<>();
        AccountRules.checkEmail(normalisedEmail, violations);
        AccountRules.checkName(normalisedName, violations);
        AccountRules.checkPassword(password, violations);
        AccountRules.throwIfAny(violations);

        String hash = passwords.hash(password);
        Instant now = clock.instant();
        try {
            Account owner = tables.transaction(c -> {
                // one setup at a time: the second waits here, then sees the first one's account
                UUID workspace = tables.lockDefaultWorkspace(c)
                        .orElseThrow(() -> new IllegalStateException("the store has no default workspace"));
                if (tables.anyAccount(c)) {
                    throw alreadySetUp();
                }
                AccountRow row = new AccountRow(UUID.randomUUID(), normalisedEmail, normalisedName, hash, now);
                tables.insertAccount(c, row);
                tables.insertMember(c, workspace, row.id(), Role.OWNER, now);
                return row.account();
            });
            setUp = true;
            LOG.info("First-run setup done: the installation's owner is account {}", owner.id());
            return owner;
        } catch (SecurityStoreException e) {
            if (e.isConstraintViolation()) {
                throw alreadySetUp();
            }
            throw e;
        }
    }

    @Override
    public Optional<NewSession> login(String email, char[] password) {
        String normalised = AccountRules.normaliseEmail(email);
        Optional<AccountRow> found = normalised.isEmpty() || normalised.length() > AccountRules.MAX_EMAIL_LENGTH
                ? Optional.empty()
                : tables.read(c -> tables.accountByEmail(c, normalised));
        if (found.isEmpty()) {
            passwords.verifyDummy(password);
            return Optional.empty();
        }
        AccountRow account = found.get();
        if (!passwords.verify(password, account.passwordHash())) {
            return Optional.empty();
        }
        String upgraded = passwords.needsRehash(account.passwordHash()) ? passwords.hash(password) : null;
        Instant now = clock.instant();
        return tables.transaction(c -> {
            List<Membership> memberships = tables.memberships(c, account.id());
            if (memberships.isEmpty()) {
                // an account that belongs nowhere has nothing to sign in to
                return Optional.<NewSession>empty();
            }
            Membership first = memberships.get(0);
            String token = secrets.token();
            String csrf = secrets.token();
            UUID id = UUID.randomUUID();
            Instant expiresAt = now.plus(sessionLifetime);
            tables.insertSession(c, id, Secrets.sha256Hex(token), account.id(), UUID.fromString(first.workspaceId()),
                    csrf, now, expiresAt);
            tables.touchLogin(c, account.id(), now);
            if (upgraded != null) {
                tables.updatePasswordHash(c, account.id(), upgraded, now);
            }
            return Optional.of(new NewSession(token, new Session(id.toString(), account.account(),
                    first.workspaceId(), first.role(), csrf, expiresAt)));
        });
    }

    @Override
    public Optional<Session> session(String token) {
        if (!Secrets.looksLikeToken(token)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return tables.read(c -> {
            Optional<SessionRow> row = tables.liveSession(c, Secrets.sha256Hex(token), now);
            return row.isEmpty() ? Optional.empty() : current(c, row.get(), now);
        });
    }

    /** The session with the account's role in its workspace as of now, falling back to another one. */
    private Optional<Session> current(Connection c, SessionRow row, Instant now) throws SQLException {
        UUID accountId = row.account().id();
        UUID workspace = row.workspaceId();
        Optional<Role> role = workspace == null ? Optional.empty() : tables.role(c, workspace, accountId);
        if (role.isEmpty()) {
            List<Membership> memberships = tables.memberships(c, accountId);
            if (memberships.isEmpty()) {
                return Optional.empty();
            }
            workspace = UUID.fromString(memberships.get(0).workspaceId());
            role = Optional.of(memberships.get(0).role());
            tables.setSessionWorkspace(c, row.id(), workspace);
        }
        if (row.lastSeenAt() == null || row.lastSeenAt().isBefore(now.minus(TOUCH_EVERY))) {
            tables.touchSession(c, row.id(), now);
        }
        return Optional.of(new Session(row.id().toString(), row.account().account(), workspace.toString(),
                role.get(), row.csrfToken(), row.expiresAt()));
    }

    @Override
    public boolean changePassword(String accountId, char[] current, char[] replacement, String keepSessionToken) {
        Optional<UUID> id = SecurityTables.uuid(accountId);
        Optional<AccountRow> found = id.isEmpty() ? Optional.empty() : tables.read(c -> tables.accountById(c, id.get()));
        if (found.isEmpty()) {
            passwords.verifyDummy(current);
            return false;
        }
        if (!passwords.verify(current, found.get().passwordHash())) {
            return false;
        }
        List<Violation> violations = new ArrayList<>();
        AccountRules.checkPassword(replacement, violations);
        AccountRules.throwIfAny(violations.stream()
                .map(v -> new Violation("/new_password", v.message())).toList());
        String hash = passwords.hash(replacement);
        Instant now = clock.instant();
        String keep = Secrets.looksLikeToken(keepSessionToken) ? Secrets.sha256Hex(keepSessionToken) : null;
        String checked = found.get().passwordHash();
        boolean changed = tables.transaction(c -> {
            // only over the password just checked: of two changes at once, the second finds it changed
            if (!tables.replacePasswordHash(c, id.get(), checked, hash, now)) {
                return false;
            }
            tables.revokeSessionsOf(c, id.get(), keep, now);
            return true;
        });
        if (changed) {
            LOG.info("Account {} changed its password; its other sessions are signed out", accountId);
        }
        return changed;
    }

    @Override
    public Optional<Account> resetPassword(String email, char[] replacement) {
        String normalised = AccountRules.normaliseEmail(email);
        List<Violation> violations = new ArrayList<>();
        AccountRules.checkPassword(replacement, violations);
        AccountRules.throwIfAny(violations);
        Optional<AccountRow> found = normalised.isEmpty() || normalised.length() > AccountRules.MAX_EMAIL_LENGTH
                ? Optional.empty()
                : tables.read(c -> tables.accountByEmail(c, normalised));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String hash = passwords.hash(replacement);
        Instant now = clock.instant();
        tables.transaction(c -> {
            tables.updatePasswordHash(c, found.get().id(), hash, now);
            tables.revokeSessionsOf(c, found.get().id(), null, now);
            return null;
        });
        LOG.info("The password of account {} was reset by the operator; its sessions are signed out", found.get().id());
        return Optional.of(found.get().account());
    }

    @Override
    public void logout(String token) {
        if (Secrets.looksLikeToken(token)) {
            Instant now = clock.instant();
            tables.read(c -> tables.revokeSession(c, Secrets.sha256Hex(token), now));
        }
    }

    @Override
    public Optional<Session> switchWorkspace(String token, String workspaceId) {
        Optional<UUID> workspace = SecurityTables.uuid(workspaceId);
        if (!Secrets.looksLikeToken(token) || workspace.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return tables.read(c -> {
            Optional<SessionRow> row = tables.liveSession(c, Secrets.sha256Hex(token), now);
            if (row.isEmpty()) {
                return Optional.empty();
            }
            SessionRow session = row.get();
            Optional<Role> role = tables.role(c, workspace.get(), session.account().id());
            if (role.isEmpty()) {
                return Optional.empty();
            }
            tables.setSessionWorkspace(c, session.id(), workspace.get());
            return Optional.of(new Session(session.id().toString(), session.account().account(),
                    workspace.get().toString(), role.get(), session.csrfToken(), session.expiresAt()));
        });
    }

    // ---- workspaces and members

    @Override
    public List<Membership> memberships(String accountId) {
        return SecurityTables.uuid(accountId).map(id -> tables.read(c -> tables.memberships(c, id))).orElse(List.of());
    }

    @Override
    public Workspace createWorkspace(String accountId, String name) {
        String normalised = AccountRules.workspaceName(name);
        UUID account = SecurityTables.uuid(accountId).orElseThrow(AccountService::accountNotFound);
        Instant now = clock.instant();
        return tables.transaction(c -> {
            if (tables.accountById(c, account).isEmpty()) {
                throw accountNotFound();
            }
            Workspace workspace = tables.insertWorkspace(c, normalised, now);
            tables.insertMember(c, UUID.fromString(workspace.id()), account, Role.OWNER, now);
            return workspace;
        });
    }

    @Override
    public List<Member> members(String workspaceId) {
        return SecurityTables.uuid(workspaceId).map(id -> tables.read(c -> tables.members(c, id))).orElse(List.of());
    }

    @Override
    public Optional<Role> role(String workspaceId, String accountId) {
        Optional<UUID> workspace = SecurityTables.uuid(workspaceId);
        Optional<UUID> account = SecurityTables.uuid(accountId);
        if (workspace.isEmpty() || account.isEmpty()) {
            return Optional.empty();
        }
        return tables.read(c -> tables.role(c, workspace.get(), account.get()));
    }

    @Override
    public boolean changeRole(String workspaceId, String accountId, Role role) {
        if (role == null) {
            throw ValidationException.of("/role", "must be one of owner, admin, editor, normal");
        }
        Optional<UUID> workspace = SecurityTables.uuid(workspaceId);
        Optional<UUID> account = SecurityTables.uuid(accountId);
        if (workspace.isEmpty() || account.isEmpty()) {
            return false;
        }
        return tables.transaction(c -> {
            List<MemberRole> members = tables.lockMembers(c, workspace.get());
            Optional<MemberRole> target = members.stream().filter(m -> m.accountId().equals(account.get())).findFirst();
            if (target.isEmpty()) {
                return false;
            }
            if (target.get().role() == Role.OWNER && role != Role.OWNER && owners(members) == 1) {
                throw lastOwner();
            }
            if (target.get().role() != role) {
                tables.updateRole(c, workspace.get(), account.get(), role);
            }
            return true;
        });
    }

    @Override
    public boolean removeMember(String workspaceId, String accountId) {
        Optional<UUID> workspace = SecurityTables.uuid(workspaceId);
        Optional<UUID> account = SecurityTables.uuid(accountId);
        if (workspace.isEmpty() || account.isEmpty()) {
            return false;
        }
        return tables.transaction(c -> {
            List<MemberRole> members = tables.lockMembers(c, workspace.get());
            Optional<MemberRole> target = members.stream().filter(m -> m.accountId().equals(account.get())).findFirst();
            if (target.isEmpty()) {
                return false;
            }
            if (target.get().role() == Role.OWNER && owners(members) == 1) {
                throw lastOwner();
            }
            tables.deleteMember(c, workspace.get(), account.get());
            return true;
        });
    }

    private static long owners(List<MemberRole> members) {
        return members.stream().filter(m -> m.role() == Role.OWNER).count();
    }

    // ---- invitations (Invitations)

    @Override
    public Invitation invite(String workspaceId, String email, Role role, String invitedBy) {
        return invitations.invite(workspaceId, email, role, invitedBy);
    }

    @Override
    public List<Invitation> invitations(String workspaceId) {
        return invitations.open(workspaceId);
    }

    @Override
    public Optional<Account> acceptInvitation(String token, String name, char[] password) {
        return invitations.accept(token, name, password);
    }

    // ---- housekeeping and errors

    private void deleteEndedSessions() {
        try {
            Instant before = clock.instant().minus(KEEP_ENDED_SESSIONS);
            int deleted = tables.read(c -> tables.deleteEndedSessions(c, before));
            if (deleted > 0) {
                LOG.debug("Deleted {} ended console session(s)", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warn("Ended console sessions could not be deleted: {}", e.getMessage());
        }
    }

    private static WeftException alreadySetUp() {
        return new WeftException("already_setup", "Weft is already set up: its owner exists");
    }

    private static WeftException lastOwner() {
        return new WeftException("last_owner", "a workspace keeps at least one owner");
    }

    private static WeftException accountNotFound() {
        return new WeftException("account_not_found", "no such account");
    }

    static WeftException workspaceNotFound() {
        return new WeftException("workspace_not_found", "no such workspace");
    }
}
