package dev.weft.api.file;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The files uploaded to workspaces. */
@ProviderType
public interface StoredFiles {

    /** A file of the workspace with its bytes; empty for unknown ids and other workspaces' files. */
    Optional<StoredFile> find(String workspaceId, String fileId);
}
