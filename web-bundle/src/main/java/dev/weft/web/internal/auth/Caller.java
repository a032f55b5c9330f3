package dev.weft.web.internal.auth;

import dev.weft.platform.security.Role;
import java.security.Principal;

/**
 * Who made a request, as the authentication filter established it.
 *
 * @param kind how the caller proved who it is
 * @param workspaceId the workspace every query of the request is scoped to (null for the operator)
 * @param accountId the signed-in account (console), or the key's creator
 * @param role the account's role in the workspace (console); null otherwise
 * @param appId the app an app key serves; null otherwise
 * @param keyId the API key used; null otherwise
 * @param sessionId the console session; null otherwise
 */
public record Caller(Access.Kind kind, String workspaceId, String accountId, Role role, String appId, String keyId,
        String sessionId) implements Principal {

    @Override
    public String getName() {
        return accountId != null ? accountId : keyId != null ? keyId : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
