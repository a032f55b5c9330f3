package dev.weft.provider.rerank.internal;

import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.RerankModel;
import dev.weft.spi.model.RerankRequest;
import dev.weft.spi.model.RerankResponse;
import dev.weft.spi.model.Usage;
import java.util.List;

/** A rerank model of a server that speaks the common {@code /rerank} format. */
final class CompatibleRerank implements RerankModel {

    private final Endpoint endpoint;
    private final String model;

    CompatibleRerank(Endpoint endpoint, String model) {
        this.endpoint = endpoint;
        this.model = model;
    }

    /** No documents means no hits; nothing is sent (Cohere would refuse an empty list). */
    @Override
    public RerankResponse rerank(RerankRequest request) throws ModelException {
        if (request.documents().isEmpty()) {
            return new RerankResponse(List.of(), Usage.NONE);
        }
        return RerankWire.response(endpoint.rerank(RerankWire.request(model, request)), request, endpoint.baseUrl());
    }
}
