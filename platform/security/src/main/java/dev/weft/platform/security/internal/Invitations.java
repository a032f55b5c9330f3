package dev.weft.platform.security.internal;

import dev.weft.api.core.Violation;
import dev.weft.api.core.WeftException;
import dev.weft.platform.security.Account;
import dev.weft.platform.security.Invitation;
import dev.weft.platform.security.Role;
import dev.weft.platform.security.internal.SecurityTables.AccountRow;
import dev.weft.platform.security.internal.SecurityTables.InvitationRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Invitations to a workspace: made for an email with a role and a token shown once (kept as its
 * hash), accepted once before they expire by a new account (name and password) or an existing one
 * (its password), which then joins the workspace.
 */
final class Invitations {

    static final Duration INVITATION_LIFETIME = Duration.ofHours(72);

    private final SecurityTables tables;
    private final Clock clock;
    private final Secrets secrets;
    private final Argon2Passwords passwords;

    Invitations(SecurityTables tables, Clock clock, Secrets secrets, Argon2Passwords passwords) {
        this.tables = tables;
        this.clock = clock;
        this.secrets = secrets;
        this.passwords = passwords;
    }

    Invitation invite(String workspaceId, String email, Role role, String invitedBy) {
        String normalised = AccountRules.normaliseEmail(email);
        List<Violation> violations = new ArrayList<>();
        AccountRules.checkEmail(normalised, violations);
        if (role == null) {
            violations.add(new Violation("/role", "must be one of admin, editor, normal"));
        } else if (role == Role.OWNER) {
            violations.add(new Violation("/role", "cannot be owner: invite as admin, then make the member an owner"));
        }
        AccountRules.throwIfAny(violations);
        UUID workspace = SecurityTables.uuid(workspaceId).orElseThrow(AccountService::workspaceNotFound);
        UUID inviter = invitedBy == null ? null : SecurityTables.uuid(invitedBy).orElse(null);
        String token = secrets.token();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(INVITATION_LIFETIME);
        UUID id = UUID.randomUUID();
        return tables.transaction(c -> {
            if (!tables.workspaceExists(c, workspace)) {
                throw AccountService.workspaceNotFound();
            }
            if (tables.memberWithEmail(c, workspace, normalised)) {
                throw new WeftException("already_member", "this email is already a member of the workspace");
            }
            tables.deleteOpenInvitations(c, workspace, normalised);
            tables.insertInvitation(c, id, workspace, normalised, role, Secrets.sha256Hex(token), inviter, now,
                    expiresAt);
            return new Invitation(id.toString(), workspace.toString(), normalised, role, expiresAt, token);
        });
    }

    /** The workspace's invitations still open. */
    List<Invitation> open(String workspaceId) {
        Instant now = clock.instant();
        return SecurityTables.uuid(workspaceId).map(id -> tables.read(c -> tables.openInvitations(c, id, now)))
                .orElse(List.of());
    }

    Optional<Account> accept(String token, String name, char[] password) {
        if (!Secrets.looksLikeToken(token)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<InvitationRow> open = tables.read(c -> tables.openInvitation(c, Secrets.sha256Hex(token), now));
        if (open.isEmpty()) {
            return Optional.empty();
        }
        InvitationRow invitation = open.get();
        Optional<AccountRow> existing = tables.read(c -> tables.accountByEmail(c, invitation.email()));
        try {
            return existing.isPresent()
                    ? joinWithExistingAccount(invitation, existing.get(), password, now)
                    : joinWithNewAccount(invitation, name, password, now);
        } catch (SecurityStoreException e) {
            if (e.isConstraintViolation()) {
                // the email got an account, or the workspace went, while this was running
                return Optional.empty();
            }
            throw e;
        }
    }

    private Optional<Account> joinWithExistingAccount(InvitationRow invitation, AccountRow account, char[] password,
            Instant now) {
        if (!passwords.verify(password, account.passwordHash())) {
            return Optional.empty();
        }
        return tables.transaction(c -> {
            if (!tables.acceptInvitation(c, invitation.id(), now)) {
                return Optional.<Account>empty();
            }
            if (!tables.isMember(c, invitation.workspaceId(), account.id())) {
                tables.insertMember(c, invitation.workspaceId(), account.id(), invitation.role(), now);
            }
            return Optional.of(account.account());
        });
    }

    private Optional<Account> joinWithNewAccount(InvitationRow invitation, String name, char[] password, Instant now) {
        String normalisedName = AccountRules.normaliseName(name);
        List<Violation> violations = new ArrayList<>();
        AccountRules.checkName(normalisedName, violations);
        AccountRules.checkPassword(password, violations);
        AccountRules.throwIfAny(violations);
        String hash = passwords.hash(password);
        return tables.transaction(c -> {
            if (!tables.acceptInvitation(c, invitation.id(), now)) {
                return Optional.<Account>empty();
            }
            AccountRow row = new AccountRow(UUID.randomUUID(), invitation.email(), normalisedName, hash, now);
            tables.insertAccount(c, row);
            tables.insertMember(c, invitation.workspaceId(), row.id(), invitation.role(), now);
            return Optional.of(row.account());
        });
    }
}
