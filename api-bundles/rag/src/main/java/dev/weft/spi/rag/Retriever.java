package dev.weft.spi.rag;

import dev.weft.api.core.Pluggable;
import java.io.IOException;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Answers retrieval questions from knowledge kept outside Weft (Dify's "external knowledge").
 */
@ConsumerType
public interface Retriever extends Pluggable {

    /** The best chunks for a query, best first. */
    List<ScoredChunk> retrieve(RetrievalRequest request) throws IOException;
}
