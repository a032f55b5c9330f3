package dev.weft.provider.gemini.internal;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@code gemini} provider: Google's Gemini models through the Generative Language API (v1beta). */
@Component(service = ModelProvider.class)
public final class GeminiProvider implements ModelProvider {

    static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor("gemini", "1.0.0", "Google Gemini",
            "Google's Gemini chat and embedding models through the Generative Language API (Google AI Studio keys).",
            Map.of("type", "object", "properties", Map.of(
                    "base_url", Map.of("type", "string", "default", Endpoint.DEFAULT_BASE_URL,
                            "description", "without the API version; /v1beta is appended"),
                    "api_key", Map.of("type", "string", "secret", true,
                            "description", "sent as the x-goog-api-key header"))),
            Set.of(ModelType.CHAT, ModelType.EMBEDDING));

    /** Models asked for a page; the API's maximum. */
    static final int PAGE_SIZE = 1000;
    /** Pages read at most, against a server that never stops paging. */
    static final int MAX_PAGES = 20;

    private final OutboundHttp http;

    @Activate
    public GeminiProvider(@Reference OutboundHttp http) {
        this.http = http;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * Every page of {@code GET /v1beta/models}: chat models are those that {@code generateContent},
     * embedding models those that {@code embedContent}; others (image, answer-only) are left out.
     */
    @Override
    public List<ModelInfo> models(ProviderConfig config) throws ModelException {
        Endpoint endpoint = new Endpoint(http, config);
        List<ModelInfo> models = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        String token = "";
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode answer = endpoint.get(Endpoint.VERSION + "/models?pageSize=" + PAGE_SIZE
                    + (token.isEmpty() ? "" : "&pageToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
            for (JsonNode model : answer.path("models")) {
                ModelInfo info = info(model);
                if (info != null) {
                    models.add(info);
                }
            }
            token = answer.path("nextPageToken").asText("");
            if (token.isEmpty() || !tokens.add(token)) {
                break;
            }
        }
        return models;
    }

    private static ModelInfo info(JsonNode model) {
        String name = model.path("name").asText("");
        String id = name.startsWith("models/") ? name.substring("models/".length()) : name;
        Set<String> methods = new HashSet<>();
        model.path("supportedGenerationMethods").forEach(method -> methods.add(method.asText()));
        ModelType type = methods.contains("generateContent") ? ModelType.CHAT
                : methods.contains("embedContent") ? ModelType.EMBEDDING : null;
        if (id.isEmpty() || type == null) {
            return null;
        }
        Set<ModelFeature> features = model.path("thinking").asBoolean(false) ? Set.of(ModelFeature.REASONING) : Set.of();
        return new ModelInfo(id, type, model.path("displayName").asText(id), model.path("inputTokenLimit").asInt(0),
                type == ModelType.CHAT ? model.path("outputTokenLimit").asInt(0) : 0, features);
    }

    /** The smallest call that proves the key: one model of the list. */
    @Override
    public void verify(ProviderConfig config) throws ModelException {
        new Endpoint(http, config).get(Endpoint.VERSION + "/models?pageSize=1");
    }

    @Override
    public ChatModel chatModel(ProviderConfig config, String model) {
        return new GeminiChat(new Endpoint(http, config), model);
    }

    @Override
    public EmbeddingModel embeddingModel(ProviderConfig config, String model) {
        return new GeminiEmbeddings(new Endpoint(http, config), model);
    }

    @Override
    public RerankModel rerankModel(ProviderConfig config, String model) throws ModelException {
        throw new NonRetriableModelException.InvalidRequest("Gemini's API has no rerank models; use a rerank provider");
    }
}
