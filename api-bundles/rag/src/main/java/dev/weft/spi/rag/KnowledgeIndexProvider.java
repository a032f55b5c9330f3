package dev.weft.spi.rag;

import dev.weft.api.core.Pluggable;
import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where knowledge indexes live: the embedded Lucene index, or a search engine outside Weft.
 */
@ConsumerType
public interface KnowledgeIndexProvider extends Pluggable {

    /** Opens an index, creating it when it does not exist yet. */
    KnowledgeIndex open(IndexSpec spec) throws IOException;

    /** Deletes an index and everything in it. */
    void drop(IndexSpec spec) throws IOException;
}
