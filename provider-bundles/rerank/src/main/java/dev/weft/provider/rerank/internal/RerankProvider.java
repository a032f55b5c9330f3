package dev.weft.provider.rerank.internal;

import dev.weft.api.http.OutboundHttp;
import dev.weft.spi.model.ChatModel;
import dev.weft.spi.model.EmbeddingModel;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ModelInfo;
import dev.weft.spi.model.ModelProvider;
import dev.weft.spi.model.ModelType;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.ProviderDescriptor;
import dev.weft.spi.model.RerankModel;
import dev.weft.spi.model.RerankRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code rerank} provider: any server with the common {@code POST {base_url}/rerank} format
 * (Cohere v2, Jina, vLLM, SiliconFlow, Xinference, Infinity). Rerank models only.
 */
@Component(service = ModelProvider.class)
public final class RerankProvider implements ModelProvider {

    static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor("rerank", "1.0.0",
            "Rerank (Cohere, Jina and compatible)",
            "Rerank models of any server with the common /rerank API at a base URL: Cohere (v2), Jina, vLLM,"
                    + " SiliconFlow, Xinference, Infinity.",
            Map.of("type", "object", "required", List.of("base_url"), "properties", Map.of(
                    "base_url", Map.of("type", "string", "description",
                            "the API root that /rerank is appended to, e.g. https://api.cohere.com/v2,"
                                    + " https://api.jina.ai/v1, http://vllm:8000/v1"),
                    "model", Map.of("type", "string", "description",
                            "the rerank model that checking the configuration scores one document with;"
                                    + " without it the server's default model is used (Cohere has none)"),
                    "api_key", Map.of("type", "string", "secret", true, "description",
                            "sent as a bearer token; leave empty for a server without authentication"))),
            Set.of(ModelType.RERANK));

    private final OutboundHttp http;

    @Activate
    public RerankProvider(@Reference OutboundHttp http) {
        this.http = http;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * None: these servers have no common way to list their rerank models (Cohere's and Jina's
     * listings differ, vLLM's lists chat and embedding models alike), so models are named by the
     * user.
     */
    @Override
    public List<ModelInfo> models(ProviderConfig config) {
        return List.of();
    }

    /**
     * Scores one document with the setting {@code model}, or, without it, with the server's
     * default model; the call must succeed and its answer must fit the request. A server that
     * needs a model name (Cohere) then refuses with its own message, which says what is missing.
     */
    @Override
    public void verify(ProviderConfig config) throws ModelException {
        String model = config.setting("model").orElse("");
        new CompatibleRerank(new Endpoint(http, config), model)
                .rerank(new RerankRequest("connection check", List.of("connection check"), 1));
    }

    @Override
    public ChatModel chatModel(ProviderConfig config, String model) throws ModelException {
        throw new NonRetriableModelException.InvalidRequest("the rerank provider has no chat models");
    }

    @Override
    public EmbeddingModel embeddingModel(ProviderConfig config, String model) throws ModelException {
        throw new NonRetriableModelException.InvalidRequest("the rerank provider has no embedding models");
    }

    @Override
    public RerankModel rerankModel(ProviderConfig config, String model) throws ModelException {
        return new CompatibleRerank(new Endpoint(http, config), model);
    }
}
