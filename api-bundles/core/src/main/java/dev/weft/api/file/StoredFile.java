package dev.weft.api.file;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An uploaded file and its bytes.
 *
 * @param extension lower case, without the dot; may be empty
 * @param mimeType the media type it was uploaded as
 */
@ProviderType
public record StoredFile(String id, String name, String extension, String mimeType, byte[] content) {

    public StoredFile {
        Objects.requireNonNull(id, "id");
        name = name == null ? "" : name;
        extension = extension == null ? "" : extension;
        mimeType = mimeType == null ? "application/octet-stream" : mimeType;
        Objects.requireNonNull(content, "content");
    }

    /** The size in bytes. */
    public long size() {
        return content.length;
    }

    @Override
    public String toString() {
        return "StoredFile[" + id + ", " + name + ", " + content.length + " bytes]";
    }
}
