package dev.weft.platform.knowledge.internal;

import dev.weft.api.core.WeftException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The bytes of uploaded documents, under {@code <data>/files/<workspace>/<key>}: keys are made here
 * (random, never the user's name), a file is written to a temporary name and moved into place, and
 * a key is only ever resolved inside its workspace's folder (SECURITY.md SEC-37, SEC-38).
 */
final class FileStore {

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** A stored file: its key and size. */
    record Stored(String key, long size) {
    }

    private final Path root;
    private final long maxBytes;

    FileStore(Path root, long maxBytes) {
        this.root = root;
        this.maxBytes = maxBytes;
    }

    /**
     * Keeps the bytes, at most {@code maxBytes} of them.
     *
     * @throws WeftException {@code file_too_large} beyond the limit; nothing is kept then
     */
    Stored put(String workspaceId, InputStream content) throws IOException {
        Path folder = folder(workspaceId);
        Files.createDirectories(folder);
        String key = UUID.randomUUID().toString();
        Path staged = Files.createTempFile(folder, ".upload-", ".tmp");
        long size = 0;
        try {
            try (OutputStream out = Files.newOutputStream(staged)) {
                byte[] buffer = new byte[64 * 1024];
                int read;
                while ((read = content.read(buffer)) >= 0) {
                    size += read;
                    if (size > maxBytes) {
                        throw new WeftException("file_too_large", "the file is larger than " + (maxBytes / (1024 * 1024))
                                + " MB");
                    }
                    out.write(buffer, 0, read);
                }
            }
            Files.move(staged, folder.resolve(key), StandardCopyOption.ATOMIC_MOVE);
            return new Stored(key, size);
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /** The path of a stored file of the workspace. */
    Path path(String workspaceId, String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new WeftException("file_not_found", "no such file");
        }
        return folder(workspaceId).resolve(key);
    }

    void delete(String workspaceId, String key) {
        try {
            Files.deleteIfExists(path(workspaceId, key));
        } catch (IOException | WeftException e) {
            // a file that cannot be deleted now stays behind; its record is gone
        }
    }

    private Path folder(String workspaceId) {
        try {
            return root.resolve(UUID.fromString(workspaceId).toString());
        } catch (IllegalArgumentException e) {
            throw new WeftException("file_not_found", "no such workspace");
        }
    }
}
