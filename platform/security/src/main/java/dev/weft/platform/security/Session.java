package dev.weft.platform.security;

import java.time.Instant;

/**
 * A signed-in console session.
 *
 * @param workspaceId the workspace the session works in (the account's first one at sign-in,
 *     changed by {@link Accounts#switchWorkspace})
 * @param role the account's role in that workspace, as of this lookup
 * @param csrfToken the token unsafe requests must repeat in a header
 */
public record Session(String id, Account account, String workspaceId, Role role, String csrfToken,
        Instant expiresAt) {
}
