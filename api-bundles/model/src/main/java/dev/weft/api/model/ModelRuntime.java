package dev.weft.api.model;

import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.EmbeddingRequest;
import dev.weft.spi.model.EmbeddingResponse;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.RerankRequest;
import dev.weft.spi.model.RerankResponse;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The platform's model runtime, as a service. Calls are routed to the provider bundle serving now
 * (a call in flight finishes on the instance it started with), retried with backoff when the
 * failure may pass (honouring {@code Retry-After}), and their usage recorded.
 */
@ProviderType
public interface ModelRuntime {

    /** Answers a chat request whole. */
    ModelResult chat(ModelCall call, ChatRequest request) throws ModelException;

    /**
     * Answers a chat request, delivering its events as they arrive; returns the whole answer once the
     * stream has ended. A call is retried only while nothing of it has reached the sink.
     */
    ModelResult stream(ModelCall call, ChatRequest request, Consumer<ChatEvent> sink) throws ModelException;

    /** Embeds texts with an embedding model the call names, or the workspace's default one. */
    EmbeddingResponse embed(ModelCall call, EmbeddingRequest request) throws ModelException;

    /**
     * Scores documents against a query with the rerank model the call names, or the workspace's
     * default one; hits best first.
     *
     * @throws dev.weft.spi.model.NonRetriableModelException.InvalidRequest when no rerank model is named or set
     * @since 1.1
     */
    RerankResponse rerank(ModelCall call, RerankRequest request) throws ModelException;
}
