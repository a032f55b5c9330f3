package dev.weft.platform.store;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The workspaces of this installation. A fresh install has one, the default workspace.
 */
@ProviderType
public interface WorkspaceRepository {

    /** Every workspace, oldest first. */
    List<Workspace> list();

    /** The workspace with this id; empty for unknown ids and for ids that are not UUIDs. */
    Optional<Workspace> find(String id);

    /** The default workspace: the one a fresh install created. */
    Workspace defaultWorkspace();

    /**
     * Renames a workspace.
     *
     * @param name the new name: trimmed, 1 to {@link Workspace#MAX_NAME_LENGTH} characters
     * @return the renamed workspace; empty when there is no such workspace
     * @throws dev.weft.api.core.ValidationException when the name is blank or too long
     */
    Optional<Workspace> rename(String id, String name);
}
