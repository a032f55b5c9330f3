package dev.weft.spi.model;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A rerank model of one vendor, bound to one configuration and model name.
 */
@ConsumerType
public interface RerankModel {

    /**
     * Scores documents against a query.
     *
     * @throws ModelException mapped onto the taxonomy
     */
    RerankResponse rerank(RerankRequest request) throws ModelException;
}
