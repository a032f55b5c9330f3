package dev.weft.spi.rag;

import dev.weft.api.core.Pluggable;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Cuts text into chunks for indexing.
 */
@ConsumerType
public interface Chunker extends Pluggable {

    /**
     * Cuts text into chunks.
     *
     * @param text the document's text
     * @param config the knowledge base's chunking settings, as described by this chunker's schema
     * @param tokens counts tokens the way the embedding model does
     * @return the chunks in document order, numbered from 0
     */
    List<Chunk> chunk(String text, Map<String, Object> config, TokenCounter tokens);
}
