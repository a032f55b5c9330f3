package dev.weft.spi.model;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A part of a user message.
 */
@ProviderType
public sealed interface ContentPart {

    /** Text. */
    @ProviderType
    record Text(String text) implements ContentPart {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * An image, by URL: an {@code https:} URL the vendor fetches, or a {@code data:} URL carrying
     * the bytes.
     *
     * @param url where the image is
     * @param detail how closely the model should look: {@code low}, {@code high} or {@code auto}
     */
    @ProviderType
    record Image(String url, String detail) implements ContentPart {
        public Image {
            Objects.requireNonNull(url, "url");
            detail = detail == null ? "auto" : detail;
        }
    }
}
