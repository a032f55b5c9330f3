package dev.weft.spi.rag;

import dev.weft.api.core.JsonValues;
import java.util.Map;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A document's text.
 *
 * @param text the text, with paragraphs separated by blank lines
 * @param metadata what the file said about itself (title, author, page count) as a JSON object
 */
@ProviderType
public record ExtractedDocument(String text, Map<String, Object> metadata) {

    public ExtractedDocument {
        Objects.requireNonNull(text, "text");
        metadata = metadata == null ? Map.of() : JsonValues.copyOfObject(metadata);
    }
}
