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

    /**
     * Publishes the app's draft as its next version, which the service API runs from now on.
     *
     * @param createdBy who published it (an account id or {@code operator}); may be null
     * @return the new version; empty when there is no such app in the workspace
     * @since 1.5
     */
    Optional<AppVersionRecord> publish(String workspaceId, String appId, String markedName, String createdBy);

    /** The app's published versions, newest first. @since 1.5 */
    List<AppVersionRecord> versions(String workspaceId, String appId);

    /** One published version of an app. @since 1.5 */
    Optional<AppVersionRecord> version(String workspaceId, String appId, String versionId);

    /** The version the service API runs; empty when the app was never published. @since 1.5 */
    Optional<AppVersionRecord> published(String workspaceId, String appId);

    /**
     * Copies a published version back into the app's draft (the published version stays as it is).
     *
     * @return the app with its restored draft; empty when there is no such app or version
     * @since 1.5
     */
    Optional<AppRecord> restore(String workspaceId, String appId, String versionId);
}
