package dev.weft.provider.openai.internal;

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
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code openai} provider: OpenAI itself, and any server that speaks its chat-completions and
 * embeddings wire format at a base URL.
 */
@Component(service = ModelProvider.class)
public final class OpenAiProvider implements ModelProvider {

    static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor("openai", "1.0.0", "OpenAI-compatible",
            "OpenAI, Azure OpenAI, and any server with OpenAI's API at a base URL: vLLM, Ollama (/v1), llama.cpp, LM Studio,"
                    + " DeepSeek, OpenRouter, Groq, Together.",
            Map.of("type", "object", "properties", Map.of(
                    "base_url", Map.of("type", "string", "default", Endpoint.DEFAULT_BASE_URL,
                            "description", "ending in /v1"),
                    "api_key", Map.of("type", "string", "secret", true),
                    "organization", Map.of("type", "string"),
                    "api_type", Map.of("type", "string", "enum", List.of("openai", "azure"),
                            "description", "azure for an Azure OpenAI resource (found from *.openai.azure.com by itself)"),
                    "api_version", Map.of("type", "string", "default", Endpoint.AZURE_API_VERSION,
                            "description", "Azure OpenAI's api-version, for deployment endpoints"))),
            Set.of(ModelType.CHAT, ModelType.EMBEDDING));

    private final OutboundHttp http;

    @Activate
    public OpenAiProvider(@Reference OutboundHttp http) {
        this.http = http;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<ModelInfo> models(ProviderConfig config) throws ModelException {
        JsonNode answer = new Endpoint(http, config).get("/models");
        List<ModelInfo> models = new ArrayList<>();
        for (JsonNode model : answer.path("data")) {
            String id = model.path("id").asText("");
            if (!id.isEmpty()) {
                ModelType type = id.contains("embed") ? ModelType.EMBEDDING : ModelType.CHAT;
                models.add(new ModelInfo(id, type, id, 0, 0, Set.of()));
            }
        }
        return models;
    }

    @Override
    public void verify(ProviderConfig config) throws ModelException {
        new Endpoint(http, config).get("/models");
    }

    @Override
    public ChatModel chatModel(ProviderConfig config, String model) {
        return new OpenAiChat(new Endpoint(http, config), model);
    }

    @Override
    public EmbeddingModel embeddingModel(ProviderConfig config, String model) {
        return new OpenAiEmbeddings(new Endpoint(http, config), model);
    }

    @Override
    public RerankModel rerankModel(ProviderConfig config, String model) throws ModelException {
        throw new NonRetriableModelException.InvalidRequest("OpenAI's API has no rerank models; use a rerank provider");
    }
}
