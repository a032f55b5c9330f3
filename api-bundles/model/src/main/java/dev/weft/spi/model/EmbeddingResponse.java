package dev.weft.spi.model;

import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Vectors, one per text of the request and in its order.
 *
 * @param vectors the embeddings; all of one dimension
 * @param usage tokens read
 */
@ProviderType
public record EmbeddingResponse(List<float[]> vectors, Usage usage) {

    public EmbeddingResponse {
        vectors = List.copyOf(Objects.requireNonNull(vectors, "vectors"));
        usage = usage == null ? Usage.NONE : usage;
    }

    /** The number of dimensions; 0 for no vectors. */
    public int dimensions() {
        return vectors.isEmpty() ? 0 : vectors.get(0).length;
    }
}
