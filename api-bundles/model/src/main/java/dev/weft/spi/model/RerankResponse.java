package dev.weft.spi.model;

import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Scored documents, best first.
 *
 * @param hits the documents' positions in the request with their scores
 * @param usage tokens read, where the vendor reports them
 */
@ProviderType
public record RerankResponse(List<Hit> hits, Usage usage) {

    /** A document's position in the request and its relevance score. */
    @ProviderType
    public record Hit(int index, double score) {
    }

    public RerankResponse {
        hits = List.copyOf(Objects.requireNonNull(hits, "hits"));
        usage = usage == null ? Usage.NONE : usage;
    }
}
