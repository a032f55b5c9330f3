package dev.weft.platform.store;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The apps of workspaces. Every call names the workspace: an app of another workspace is as
 * absent as one that never existed.
 *
 * @since 1.1
 */
@ProviderType
public interface AppRepository {

    /** Stores a new app and returns it with its id and times. */
    AppRecord create(String workspaceId, String name, String mode, String description, String dslVersion,
            String document);

    Optional<AppRecord> find(String workspaceId, String appId);

    /** The workspace's apps, newest first. */
    List<AppRecord> list(String workspaceId);

    /** Replaces an app's content; empty when there is no such app in the workspace. */
    Optional<AppRecord> update(String workspaceId, String appId, String name, String mode, String description,
            String dslVersion, String document);

    /** Deletes an app; false when there was none. */
    boolean delete(String workspaceId, String appId);
}
