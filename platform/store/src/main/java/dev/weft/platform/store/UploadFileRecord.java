package dev.weft.platform.store;

import java.time.Instant;

/**
 * A file uploaded to a workspace (its bytes are read apart).
 *
 * @param appId the app it was uploaded to; null for console uploads
 * @param createdByRole {@code end_user} or {@code account}
 * @param createdBy the end user's or account's id
 * @since 1.5
 */
public record UploadFileRecord(String id, String workspaceId, String appId, String createdByRole, String createdBy,
        String name, long size, String extension, String mimeType, Instant createdAt) {
}
