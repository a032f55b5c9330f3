package dev.weft.provider.ollama.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.spi.model.EmbeddingModel;
import dev.weft.spi.model.EmbeddingRequest;
import dev.weft.spi.model.EmbeddingResponse;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.RetriableModelException;
import dev.weft.spi.model.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * An embedding model of an Ollama server, over {@code POST /api/embed}.
 *
 * <p>Texts go in batches of {@link #BATCH}: Ollama embeds a request's inputs one after another on
 * the local machine, so smaller requests keep each call well inside the read timeout. Ollama has no
 * query/document distinction; models that want a prefix ({@code search_query:}) need it in the text.
 */
final class OllamaEmbeddings implements EmbeddingModel {

    static final String PATH = "/api/embed";
    static final int BATCH = 64;

    private final Endpoint endpoint;
    private final String model;

    OllamaEmbeddings(Endpoint endpoint, String model) {
        this.endpoint = endpoint;
        this.model = model;
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request) throws ModelException {
        List<float[]> vectors = new ArrayList<>();
        Usage usage = Usage.NONE;
        List<String> texts = request.texts();
        for (int from = 0; from < texts.size(); from += BATCH) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + BATCH));
            ObjectNode body = Wire.JSON.createObjectNode().put("model", model);
            ArrayNode input = body.putArray("input");
            batch.forEach(input::add);
            endpoint.keepAlive(body);
            JsonNode answer = endpoint.post(PATH, body);
            JsonNode embeddings = answer.path("embeddings");
            if (!embeddings.isArray() || embeddings.size() != batch.size()) {
                throw new RetriableModelException.Unavailable("Ollama at " + endpoint.baseUrl() + " answered "
                        + embeddings.size() + " embeddings for " + batch.size() + " texts", null);
            }
            // Ollama answers in the order of the input, without indexes
            for (JsonNode values : embeddings) {
                float[] vector = new float[values.size()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = (float) values.get(i).asDouble();
                }
                vectors.add(vector);
            }
            usage = usage.plus(new Usage(Math.max(0, answer.path("prompt_eval_count").asLong(0)), 0));
        }
        return new EmbeddingResponse(vectors, usage);
    }
}
