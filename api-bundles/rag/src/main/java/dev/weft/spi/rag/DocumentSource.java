package dev.weft.spi.rag;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A file to extract.
 *
 * @param fileName the name the user gave it
 * @param mediaType its media type, as detected by the platform
 * @param size its size in bytes
 * @param content opens the bytes; may be called more than once
 */
@ProviderType
public record DocumentSource(String fileName, String mediaType, long size, Content content) {

    /** Opens a document's bytes. */
    @FunctionalInterface
    @ProviderType
    public interface Content {
        InputStream open() throws IOException;
    }

    public DocumentSource {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(content, "content");
    }
}
