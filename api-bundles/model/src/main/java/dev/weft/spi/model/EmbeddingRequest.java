package dev.weft.spi.model;

import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Texts to embed.
 *
 * @param texts the texts, at least one
 * @param purpose whether they are documents to index or queries to search with; some models embed
 *     the two differently
 */
@ProviderType
public record EmbeddingRequest(List<String> texts, Purpose purpose) {

    /** What the vectors are for. */
    @ProviderType
    public enum Purpose {
        DOCUMENT,
        QUERY
    }

    public EmbeddingRequest {
        texts = List.copyOf(Objects.requireNonNull(texts, "texts"));
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("nothing to embed");
        }
        purpose = purpose == null ? Purpose.DOCUMENT : purpose;
    }
}
