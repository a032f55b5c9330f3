package dev.weft.provider.openai.internal;

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

/** An embedding model of an OpenAI-compatible server; texts sent in batches. */
final class OpenAiEmbeddings implements EmbeddingModel {

    static final int BATCH = 64;

    private final Endpoint endpoint;
    private final String model;

    OpenAiEmbeddings(Endpoint endpoint, String model) {
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
            ObjectNode body = Wire.JSON.createObjectNode().put("model", model).put("encoding_format", "float");
            ArrayNode input = body.putArray("input");
            batch.forEach(input::add);
            JsonNode answer = endpoint.post("/embeddings", body);
            float[][] ordered = new float[batch.size()][];
            for (JsonNode item : answer.path("data")) {
                int index = item.path("index").asInt();
                JsonNode values = item.path("embedding");
                if (index < 0 || index >= ordered.length || !values.isArray()) {
                    throw new RetriableModelException.Unavailable("the embeddings answer of " + endpoint.baseUrl()
                            + " does not match its request", null);
                }
                float[] vector = new float[values.size()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = (float) values.get(i).asDouble();
                }
                ordered[index] = vector;
            }
            for (float[] vector : ordered) {
                if (vector == null) {
                    throw new RetriableModelException.Unavailable("the embeddings answer of " + endpoint.baseUrl()
                            + " left a text out", null);
                }
                vectors.add(vector);
            }
            usage = usage.plus(new Usage(answer.path("usage").path("prompt_tokens").asLong(0), 0));
        }
        return new EmbeddingResponse(vectors, usage);
    }
}
