package dev.weft.spi.model;

import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Documents to score against a query.
 *
 * @param query what is searched for
 * @param documents the candidates' texts
 * @param topN how many of the best to return; 0 for all
 */
@ProviderType
public record RerankRequest(String query, List<String> documents, int topN) {

    public RerankRequest {
        Objects.requireNonNull(query, "query");
        documents = List.copyOf(Objects.requireNonNull(documents, "documents"));
        if (topN < 0) {
            throw new IllegalArgumentException("topN cannot be negative");
        }
    }
}
