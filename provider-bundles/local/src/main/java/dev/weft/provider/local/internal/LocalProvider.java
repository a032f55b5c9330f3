package dev.weft.provider.local.internal;

import ai.onnxruntime.OrtException;
import dev.weft.spi.model.ChatModel;
import dev.weft.spi.model.EmbeddingModel;
import dev.weft.spi.model.EmbeddingRequest;
import dev.weft.spi.model.EmbeddingResponse;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ModelFeature;
import dev.weft.spi.model.ModelInfo;
import dev.weft.spi.model.ModelProvider;
import dev.weft.spi.model.ModelType;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.ProviderDescriptor;
import dev.weft.spi.model.RerankModel;
import dev.weft.spi.model.RetriableModelException;
import dev.weft.spi.model.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code local} provider: bge-small-en-v1.5 (int8) embeddings computed in the process, offline,
 * with nothing to configure. The model is loaded on the first embedding and kept.
 */
@Component(service = ModelProvider.class)
public final class LocalProvider implements ModelProvider {

    static final String MODEL = "bge-small-en-v1.5";
    static final int DIMENSIONS = 384;
    static final int MAX_TOKENS = 512;
    /** bge v1.5's instruction for short retrieval queries (documents get none). */
    static final String QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";
    private static final Logger LOG = LoggerFactory.getLogger(LocalProvider.class);

    static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor("local", "1.0.0", "Local (in-process)",
            "bge-small-en-v1.5 embeddings computed in Weft's own process, offline.", Map.of(),
            Set.of(ModelType.EMBEDDING));

    private OnnxEmbedder embedder;

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<ModelInfo> models(ProviderConfig config) {
        return List.of(new ModelInfo(MODEL, ModelType.EMBEDDING, "bge-small-en-v1.5 (int8, 384 dimensions)", MAX_TOKENS, 0,
                Set.<ModelFeature>of()));
    }

    @Override
    public void verify(ProviderConfig config) {
        // nothing to configure
    }

    @Override
    public ChatModel chatModel(ProviderConfig config, String model) throws ModelException {
        throw new NonRetriableModelException.InvalidRequest("the local provider has no chat models");
    }

    @Override
    public RerankModel rerankModel(ProviderConfig config, String model) throws ModelException {
        throw new NonRetriableModelException.InvalidRequest("the local provider has no rerank models");
    }

    @Override
    public EmbeddingModel embeddingModel(ProviderConfig config, String model) throws ModelException {
        if (model != null && !model.isBlank() && !model.startsWith("bge-small-en-v1.5")) {
            throw new NonRetriableModelException.ModelNotFound("the local provider has only " + MODEL + ", not " + model);
        }
        return this::embed;
    }

    private EmbeddingResponse embed(EmbeddingRequest request) throws ModelException {
        OnnxEmbedder model = loaded();
        List<String> texts = request.purpose() == EmbeddingRequest.Purpose.QUERY
                ? request.texts().stream().map(t -> QUERY_INSTRUCTION + t).toList() : request.texts();
        try {
            List<float[]> vectors = new ArrayList<>(model.embed(texts));
            return new EmbeddingResponse(vectors, new Usage(model.tokens(texts), 0));
        } catch (OrtException e) {
            throw new RetriableModelException.Unavailable("the local embedding model failed: " + e.getMessage(), e);
        }
    }

    private synchronized OnnxEmbedder loaded() throws ModelException {
        if (embedder == null) {
            long started = System.nanoTime();
            try (InputStream onnx = resource("models/bge-small-en-v1.5-q.onnx");
                    InputStream tokenizer = resource("models/bge-small-en-v1.5-q-tokenizer.json")) {
                embedder = new OnnxEmbedder(onnx.readAllBytes(), tokenizer, MAX_TOKENS);
            } catch (IOException | OrtException | RuntimeException | UnsatisfiedLinkError e) {
                throw new NonRetriableModelException.InvalidRequest("the local embedding model cannot be loaded: " + e);
            }
            LOG.info("Local embedding model {} loaded in {} ms", MODEL, (System.nanoTime() - started) / 1_000_000);
        }
        return embedder;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = LocalProvider.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is missing from the bundle");
        }
        return in;
    }

    @Deactivate
    synchronized void deactivate() {
        if (embedder != null) {
            try {
                embedder.close();
            } catch (OrtException e) {
                LOG.debug("closing the local model: {}", e.getMessage());
            }
            embedder = null;
        }
    }
}
