package dev.weft.platform.security;

import java.time.Instant;

/**
 * An API key as listed: never the key itself.
 *
 * @param kind {@code app} (scoped to one app) or {@code dataset} (the workspace's knowledge API)
 * @param appId the app an {@code app} key serves; null for {@code dataset} keys
 * @param hint the key's prefix and last four characters ({@code app-...x7Qa}), for people to tell keys apart
 */
public record ApiKey(String id, String workspaceId, String kind, String appId, String hint, Instant createdAt,
        Instant lastUsedAt) {

    public static final String APP = "app";
    public static final String DATASET = "dataset";
}
