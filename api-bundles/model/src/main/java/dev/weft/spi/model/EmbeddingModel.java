package dev.weft.spi.model;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A text-embedding model of one vendor, bound to one configuration and model name.
 */
@ConsumerType
public interface EmbeddingModel {

    /**
     * Embeds a batch of texts, one vector per text in the same order. Providers split batches that
     * exceed the vendor's limit.
     *
     * @throws ModelException mapped onto the taxonomy
     */
    EmbeddingResponse embed(EmbeddingRequest request) throws ModelException;
}
