package dev.weft.provider.ollama.internal;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code ollama} provider: Ollama's native API ({@code /api/chat}, {@code /api/embed},
 * {@code /api/tags}) on a local server, or behind a proxy or in Ollama's cloud with a key. Ollama's
 * OpenAI-compatible {@code /v1} is the {@code openai} provider's.
 */
@Component(service = ModelProvider.class)
public final class OllamaProvider implements ModelProvider {

    static final String TAGS = "/api/tags";

    static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor("ollama", "1.0.0", "Ollama",
            "Ollama's native API: a local Ollama, or one behind a proxy or in Ollama's cloud with a key.",
            Map.of("type", "object", "properties", Map.of(
                    "base_url", Map.of("type", "string", "default", Endpoint.DEFAULT_BASE_URL,
                            "description", "the server's root, without /api"),
                    "keep_alive", Map.of("type", "string",
                            "description", "how long Ollama keeps a model loaded after a request: 5m, 1h, 0 to unload, -1 forever"),
                    "api_key", Map.of("type", "string", "secret", true,
                            "description", "sent as a bearer token; only for an Ollama behind a proxy or in Ollama's cloud"))),
            Set.of(ModelType.CHAT, ModelType.EMBEDDING));

    private final OutboundHttp http;

    @Activate
    public OllamaProvider(@Reference OutboundHttp http) {
        this.http = http;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * The models pulled onto the server. Ollama does not say which are embedding models; the name
     * or the family tells ({@code nomic-embed-text}, family {@code bert} or {@code nomic-bert}).
     * Context window and features are left unknown: only {@code /api/show}, one call a model, has them.
     */
    @Override
    public List<ModelInfo> models(ProviderConfig config) throws ModelException {
        JsonNode answer = new Endpoint(http, config).get(TAGS);
        List<ModelInfo> models = new ArrayList<>();
        for (JsonNode model : answer.path("models")) {
            String id = model.path("name").asText(model.path("model").asText(""));
            if (!id.isEmpty()) {
                models.add(new ModelInfo(id, isEmbedding(id, model.path("details")) ? ModelType.EMBEDDING : ModelType.CHAT,
                        id, 0, 0, Set.of()));
            }
        }
        return models;
    }

    static boolean isEmbedding(String name, JsonNode details) {
        List<String> said = new ArrayList<>(List.of(name, details.path("family").asText("")));
        details.path("families").forEach(family -> said.add(family.asText("")));
        return said.stream().map(s -> s.toLowerCase(Locale.ROOT)).anyMatch(s -> s.contains("embed") || s.contains("bert"));
    }

    /**
     * Lists the models: the cheapest call that proves the server answers and, behind a proxy or in
     * the cloud, that the key is accepted (a local Ollama checks no key).
     */
    @Override
    public void verify(ProviderConfig config) throws ModelException {
        new Endpoint(http, config).get(TAGS);
    }

    @Override
    public ChatModel chatModel(ProviderConfig config, String model) {
        return new OllamaChat(new Endpoint(http, config), model);
    }

    @Override
    public EmbeddingModel embeddingModel(ProviderConfig config, String model) {
        return new OllamaEmbeddings(new Endpoint(http, config), model);
    }

    @Override
    public RerankModel rerankModel(ProviderConfig config, String model) throws ModelException {
        throw new NonRetriableModelException.InvalidRequest("Ollama's API has no rerank models; use a rerank provider");
    }
}
