package dev.weft.platform.store.internal;

import dev.weft.api.file.StoredFile;
import dev.weft.api.file.StoredFiles;
import dev.weft.platform.store.UploadFileRecord;
import java.util.Optional;

/** The uploaded files, as plug-ins read them. */
final class JdbcStoredFiles implements StoredFiles {

    private final JdbcUploadFileRepository files;

    JdbcStoredFiles(JdbcUploadFileRepository files) {
        this.files = files;
    }

    @Override
    public Optional<StoredFile> find(String workspaceId, String fileId) {
        Optional<UploadFileRecord> record = files.find(workspaceId, fileId);
        if (record.isEmpty()) {
            return Optional.empty();
        }
        return files.content(workspaceId, fileId).map(bytes -> new StoredFile(record.get().id(), record.get().name(),
                record.get().extension(), record.get().mimeType(), bytes));
    }
}
