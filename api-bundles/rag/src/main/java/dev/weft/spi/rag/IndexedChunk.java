package dev.weft.spi.rag;

import dev.weft.api.core.JsonValues;
import java.util.Map;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A chunk as it is written to an index.
 *
 * @param chunkId unique within the knowledge base
 * @param position its position in the document, from 0
 * @param content the text searched by words
 * @param vector its embedding; null in a keyword-only (economy) index
 * @param metadata values filters can test, as a JSON object
 */
@ProviderType
public record IndexedChunk(String chunkId, int position, String content, float[] vector,
        Map<String, Object> metadata) {

    public IndexedChunk {
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(content, "content");
        metadata = metadata == null ? Map.of() : JsonValues.copyOfObject(metadata);
    }
}
