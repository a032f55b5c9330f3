package dev.weft.platform.security;

import dev.weft.platform.store.Workspace;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Accounts, their sessions and their workspaces. Failures are {@link dev.weft.api.core.WeftException}s
 * with the codes named on each method; "not found" answers are empty results, so that a caller
 * can answer another workspace's id exactly like a random one. Malformed ids (not UUIDs) read as
 * unknown ones.
 *
 * <p>Passwords are passed as {@code char[]}: the implementation wipes the copies it makes and leaves
 * the caller's array as it was (so that, for example, a setup page can sign the new owner in with
 * the same array); the caller wipes it once done. Emails are compared trimmed and lower-cased.
 */
@ProviderType
public interface Accounts {

    /** Whether the first-run setup has created the owner. */
    boolean isSetUp();

    /**
     * First-run setup: creates the installation's owner, who owns the default workspace.
     *
     * @throws dev.weft.api.core.WeftException {@code already_setup} once an owner exists (the
     *     setup closes for good); {@link dev.weft.api.core.ValidationException} for a malformed email,
     *     a blank name or a password shorter than 8 characters or without both letters and digits
     */
    Account createOwner(String email, String name, char[] password);

    /**
     * Signs in. Wrong email and wrong password take the same time and give the same empty answer.
     * The session opens in the account's oldest workspace; an account that belongs to no workspace
     * gets an empty answer too. Callers count failures with {@link Throttle}.
     */
    Optional<NewSession> login(String email, char[] password);

    /**
     * The live session this token opens; empty when unknown, expired or signed out. The role is read
     * from the membership at each call: when the account has left the session's workspace, the
     * session moves to its oldest remaining one, and is empty when none is left.
     */
    Optional<Session> session(String token);

    /**
     * Changes a signed-in account's password, given its current one; every other session of the
     * account is signed out, the one given stays.
     *
     * @return false when the current password is wrong (nothing changes)
     * @throws dev.weft.api.core.ValidationException when the new password is not acceptable
     *     ({@code /new_password})
     * @since 1.1
     */
    boolean changePassword(String accountId, char[] current, char[] replacement, String keepSessionToken);

    /**
     * Sets an account's password without its current one (the operator's recovery, from the
     * command line), and signs out all of its sessions.
     *
     * @return the account, or empty when no account has this email
     * @throws dev.weft.api.core.ValidationException when the password is not acceptable ({@code /password})
     * @since 1.1
     */
    Optional<Account> resetPassword(String email, char[] replacement);

    /** Signs the session out on the server; the token opens nothing afterwards. */
    void logout(String token);

    /**
     * Makes another of the account's workspaces the session's current one; empty when the account
     * is not a member of it (or it does not exist).
     */
    Optional<Session> switchWorkspace(String token, String workspaceId);

    /** The workspaces an account belongs to, oldest first. */
    List<Membership> memberships(String accountId);

    /**
     * Creates a workspace; its creator becomes its owner.
     *
     * @throws dev.weft.api.core.ValidationException for a blank name or one longer than
     *     {@link Workspace#MAX_NAME_LENGTH} ({@code /name})
     * @throws dev.weft.api.core.WeftException {@code account_not_found} for an unknown account
     */
    Workspace createWorkspace(String accountId, String name);

    /** A workspace's members. */
    List<Member> members(String workspaceId);

    /**
     * Invites someone by email to a workspace with a role (not {@code owner}). The invitation's
     * token is returned this once and expires after 72 hours.
     *
     * A new invitation of the same email to the same workspace replaces the open one.
     *
     * @param invitedBy the inviting account's id, or null for the operator
     * @throws dev.weft.api.core.WeftException {@code already_member} when that email is a member;
     *     {@code workspace_not_found} for an unknown workspace
     * @throws dev.weft.api.core.ValidationException for a malformed email ({@code /email}), or a
     *     null or {@code owner} role ({@code /role})
     */
    Invitation invite(String workspaceId, String email, Role role, String invitedBy);

    /** A workspace's open invitations (neither accepted nor expired), without their tokens. */
    List<Invitation> invitations(String workspaceId);

    /**
     * Accepts an invitation: adds the account with that email to the workspace, creating the
     * account with this name and password when there is none. Tokens are single-use.
     *
     * When the email already has an account, the password must be that account's (the name is
     * then ignored); a wrong one gives an empty answer and leaves the invitation open.
     *
     * @return empty for an unknown, used or expired token, or a wrong password of an existing account
     * @throws dev.weft.api.core.ValidationException when a new account's name or password is not
     *     acceptable ({@code /name}, {@code /password}); the invitation stays open
     */
    Optional<Account> acceptInvitation(String token, String name, char[] password);

    /**
     * Changes a member's role; false when there is no such member. The last owner cannot be
     * demoted ({@code last_owner}). Checking that the caller may do so is the caller's job.
     *
     * @throws dev.weft.api.core.ValidationException for a null role
     */
    boolean changeRole(String workspaceId, String accountId, Role role);

    /** Removes a member (never the last owner: {@code last_owner}); false when there was none. */
    boolean removeMember(String workspaceId, String accountId);

    /** The member's role in a workspace; empty when not a member. */
    Optional<Role> role(String workspaceId, String accountId);
}
