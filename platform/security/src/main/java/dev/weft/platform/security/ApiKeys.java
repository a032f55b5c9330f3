package dev.weft.platform.security;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * API keys of the service API: {@code app-...} keys scoped to one app, {@code dataset-...} keys for
 * a workspace's knowledge API. Keys are random, shown once, stored as hashes and revocable.
 *
 * <p>Revocation through {@link #revoke} takes effect at once in the process that revokes. Keys
 * deleted otherwise (with their app or workspace, by the database's cascade) or revoked by another
 * node sharing the database stop working within 5 seconds: {@link #verify} caches live keys that
 * long.
 */
@ProviderType
public interface ApiKeys {

    /**
     * Creates a key.
     *
     * @param kind {@link ApiKey#APP} (then {@code appId} is required) or {@link ApiKey#DATASET}
     * @param createdBy the account that creates it, or null for the operator
     * @throws dev.weft.api.core.ValidationException for another kind ({@code /kind}), an app key
     *     without an app or a dataset key with one ({@code /app_id})
     * @throws dev.weft.api.core.WeftException {@code workspace_not_found}; {@code app_not_found} when
     *     the app is not one of the workspace's
     */
    NewApiKey create(String workspaceId, String kind, String appId, String createdBy);

    /**
     * A workspace's live (not revoked) keys of a kind (and of one app, for app keys), oldest first.
     * A null kind or app id does not narrow the list.
     */
    List<ApiKey> list(String workspaceId, String kind, String appId);

    /** Revokes a key at once; false when the workspace has no such live key. */
    boolean revoke(String workspaceId, String keyId);

    /**
     * The live key this token is; empty for anything else (malformed, unknown, revoked, of a
     * deleted workspace or app), always in the same way.
     */
    Optional<ApiKey> verify(String token);
}
