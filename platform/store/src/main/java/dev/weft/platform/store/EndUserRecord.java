package dev.weft.platform.store;

import java.time.Instant;

/**
 * An end user of an app's service API.
 *
 * @param id the end user's id
 * @param workspaceId the app's workspace
 * @param appId the app
 * @param sessionId the caller's {@code user} string that identifies the end user in the app
 * @param type how the end user came ({@code service_api})
 * @param createdAt when the end user was first seen
 * @since 1.6
 */
public record EndUserRecord(String id, String workspaceId, String appId, String sessionId, String type,
        Instant createdAt) {
}
