package dev.weft.provider.anthropic.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.http.OutboundHttp;
import dev.weft.spi.model.ChatModel;
import dev.weft.spi.model.EmbeddingModel;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ModelFeature;
import dev.weft.spi.model.ModelInfo;
import dev.weft.spi.model.ModelProvider;
import dev.weft.spi.model.ModelType;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.ProviderDescriptor;
import dev.weft.spi.model.RerankModel;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code anthropic} provider: Claude models over Anthropic's Messages API. Anthropic serves
 * neither embeddings nor rerank, so asking for either fails as an invalid request.
 */
@Component(service = ModelProvider.class)
public final class AnthropicProvider implements ModelProvider {

    static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor("anthropic", "1.0.0", "Anthropic",
            "Claude models over Anthropic's Messages API.",
            Map.of("type", "object", "properties", Map.of(
                    "base_url", Map.of("type", "string", "default", Endpoint.DEFAULT_BASE_URL,
                            "description", "the API's root, without /v1"),
                    "api_key", Map.of("type", "string", "secret", true))),
            Set.of(ModelType.CHAT));

    /**
     * What every model of Anthropic's list can do: Claude 3 and later models all call tools, stream
     * their arguments and read images, and JSON answers go through a forced tool (see {@link Wire}).
     * Which models think is not in the list, so {@link ModelFeature#REASONING} is not claimed.
     */
    static final Set<ModelFeature> FEATURES = Set.of(ModelFeature.TOOL_CALL, ModelFeature.STREAM_TOOL_CALL,
            ModelFeature.VISION, ModelFeature.JSON_MODE, ModelFeature.STRUCTURED_OUTPUT);

    /** Models asked for per page of the list, the most Anthropic allows. */
    static final int PAGE = 1000;
    /** Pages read at most, against a server that always says it has more. */
    static final int MAX_PAGES = 20;

    private final OutboundHttp http;

    @Activate
    public AnthropicProvider(@Reference OutboundHttp http) {
        this.http = http;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** {@code GET /v1/models}, page by page ({@code has_more}, {@code after_id=last_id}). */
    @Override
    public List<ModelInfo> models(ProviderConfig config) throws ModelException {
        Endpoint endpoint = new Endpoint(http, config);
        List<ModelInfo> models = new ArrayList<>();
        String after = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode answer = endpoint.get("/v1/models?limit=" + PAGE
                    + (after == null ? "" : "&after_id=" + URLEncoder.encode(after, StandardCharsets.UTF_8)));
            for (JsonNode model : answer.path("data")) {
                String id = model.path("id").asText("");
                if (!id.isEmpty()) {
                    models.add(new ModelInfo(id, ModelType.CHAT, model.path("display_name").asText(id), 0, 0, FEATURES));
                }
            }
            after = answer.path("last_id").asText("");
            if (!answer.path("has_more").asBoolean(false) || after.isEmpty()) {
                break;
            }
        }
        return models;
    }

    /** The smallest call that proves the key: one model of the list. */
    @Override
    public void verify(ProviderConfig config) throws ModelException {
        new Endpoint(http, config).get("/v1/models?limit=1");
    }

    @Override
    public ChatModel chatModel(ProviderConfig config, String model) {
        return new AnthropicChat(new Endpoint(http, config), model);
    }

    @Override
    public EmbeddingModel embeddingModel(ProviderConfig config, String model) throws ModelException {
        throw new NonRetriableModelException.InvalidRequest("Anthropic's API has no embedding models; use an embedding provider");
    }

    @Override
    public RerankModel rerankModel(ProviderConfig config, String model) throws ModelException {
        throw new NonRetriableModelException.InvalidRequest("Anthropic's API has no rerank models; use a rerank provider");
    }
}
