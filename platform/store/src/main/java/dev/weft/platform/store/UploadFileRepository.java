package dev.weft.platform.store;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Uploaded files, kept whole with their bytes.
 *
 * @since 1.5
 */
@ProviderType
public interface UploadFileRepository {

    /** Stores a file in one write: afterwards it is there whole, or not at all. */
    UploadFileRecord create(String workspaceId, String appId, String createdByRole, String createdBy, String name,
            String extension, String mimeType, byte[] content);

    /** A file of a workspace; empty for unknown ids and other workspaces' files. */
    Optional<UploadFileRecord> find(String workspaceId, String fileId);

    /** A file's bytes. */
    Optional<byte[]> content(String workspaceId, String fileId);
}
