package dev.weft.platform.store;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The end users of apps' service API, identified by the caller's {@code user} string per app.
 *
 * @since 1.5
 */
@ProviderType
public interface EndUserRepository {

    /** The id of this app's end user with this session id, created on first sight. */
    String endUser(String workspaceId, String appId, String sessionId);

    /** An end user's session id (the caller's {@code user} string); empty when unknown in the app. */
    java.util.Optional<String> sessionId(String workspaceId, String appId, String endUserId);

    /** An end user of the app; empty when the app has no such end user. @since 1.6 */
    java.util.Optional<EndUserRecord> find(String workspaceId, String appId, String endUserId);
}
