package dev.weft.spi.model;

import dev.weft.api.core.Pluggable;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One vendor wire protocol (OpenAI's, Anthropic's, Ollama's...), contributed as an OSGi service.
 *
 * <p>Model objects it hands out are cheap and hold no connection of their own; the platform may
 * create one per call. They must be safe to use from many virtual threads at once.
 */
@ConsumerType
public interface ModelProvider extends Pluggable {

    @Override
    ProviderDescriptor descriptor();

    /**
     * The models this configuration can use: the vendor's list where it has one, else a built-in
     * list.
     *
     * @throws ModelException when the vendor cannot be reached or refuses the credentials
     */
    List<ModelInfo> models(ProviderConfig config) throws ModelException;

    /**
     * Proves that the configuration works with the smallest real call the vendor allows.
     *
     * @throws ModelException with the vendor's reason when it does not
     */
    void verify(ProviderConfig config) throws ModelException;

    /**
     * A chat model.
     *
     * @throws NonRetriableModelException.InvalidRequest when this provider has no chat models
     */
    ChatModel chatModel(ProviderConfig config, String model) throws ModelException;

    /**
     * An embedding model.
     *
     * @throws NonRetriableModelException.InvalidRequest when this provider has no embedding models
     */
    EmbeddingModel embeddingModel(ProviderConfig config, String model) throws ModelException;

    /**
     * A rerank model.
     *
     * @throws NonRetriableModelException.InvalidRequest when this provider has no rerank models
     */
    RerankModel rerankModel(ProviderConfig config, String model) throws ModelException;
}
