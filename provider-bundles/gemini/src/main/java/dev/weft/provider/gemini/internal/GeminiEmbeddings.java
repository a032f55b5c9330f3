package dev.weft.provider.gemini.internal;

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
 * A Gemini embedding model through {@code batchEmbedContents}: up to {@link #BATCH} texts a request
 * (the API's limit), each with the task type of the request's purpose. The API answers with the
 * vectors in the order of the requests and reports no token counts, so usage stays zero.
 */
final class GeminiEmbeddings implements EmbeddingModel {

    static final int BATCH = 100;

    private final Endpoint endpoint;
    private final String model;

    GeminiEmbeddings(Endpoint endpoint, String model) {
        this.endpoint = endpoint;
        this.model = model;
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request) throws ModelException {
        String resource = Endpoint.resource(model);
        String name = resource.substring(Endpoint.VERSION.length() + 1);
        String task = request.purpose() == EmbeddingRequest.Purpose.QUERY ? "RETRIEVAL_QUERY" : "RETRIEVAL_DOCUMENT";
        List<float[]> vectors = new ArrayList<>();
        List<String> texts = request.texts();
        for (int from = 0; from < texts.size(); from += BATCH) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + BATCH));
            ObjectNode body = Wire.JSON.createObjectNode();
            ArrayNode requests = body.putArray("requests");
            for (String text : batch) {
                ObjectNode one = requests.addObject().put("model", name);
                one.putObject("content").putArray("parts").addObject().put("text", text);
                one.put("taskType", task);
            }
            JsonNode embeddings = endpoint.post(resource + ":batchEmbedContents", body).path("embeddings");
            if (!embeddings.isArray() || embeddings.size() != batch.size()) {
                throw new RetriableModelException.Unavailable("the embeddings answer of " + endpoint.baseUrl()
                        + " has " + embeddings.size() + " vectors for " + batch.size() + " texts", null);
            }
            for (JsonNode embedding : embeddings) {
                JsonNode values = embedding.path("values");
                if (!values.isArray() || values.isEmpty()) {
                    throw new RetriableModelException.Unavailable("the embeddings answer of " + endpoint.baseUrl()
                            + " has an empty vector", null);
                }
                float[] vector = new float[values.size()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = (float) values.get(i).asDouble();
                }
                vectors.add(vector);
            }
        }
        return new EmbeddingResponse(vectors, Usage.NONE);
    }
}
