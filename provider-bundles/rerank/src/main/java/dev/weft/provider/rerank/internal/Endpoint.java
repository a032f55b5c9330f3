package dev.weft.provider.rerank.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.http.EgressException;
import dev.weft.api.http.HttpRequest;
import dev.weft.api.http.HttpResponse;
import dev.weft.api.http.OutboundHttp;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.RetriableModelException;
import dev.weft.spi.model.VendorErrors;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One configured rerank server: its base URL and key, requests sent through the platform's egress
 * guard, and the vendors' failures mapped onto the model SPI's taxonomy.
 *
 * <p>There is no default base URL: the servers that speak this format are many (Cohere, Jina,
 * vLLM, SiliconFlow, Xinference, Infinity) and none is the obvious one.
 */
final class Endpoint {

    static final Duration CONNECT = Duration.ofSeconds(10);
    /** Scoring a long list of documents on a busy GPU can take a while, but never as long as a chat. */
    static final Duration READ = Duration.ofSeconds(120);
    static final Duration TOTAL = Duration.ofSeconds(300);
    /** Jina echoes every document's text in its answer by default, so the answer can be large. */
    static final long MAX_RESPONSE = 32L * 1024 * 1024;

    private static final String RERANK = "/rerank";

    private final OutboundHttp http;
    private final String baseUrl;
    private final String apiKey;

    /**
     * @throws NonRetriableModelException.InvalidRequest when the configuration has no base URL
     */
    Endpoint(OutboundHttp http, ProviderConfig config) throws NonRetriableModelException.InvalidRequest {
        this.http = http;
        String base = config.setting("base_url").orElseThrow(() -> new NonRetriableModelException.InvalidRequest(
                "the rerank provider needs the setting \"base_url\": the API root that /rerank is appended to,"
                        + " e.g. https://api.cohere.com/v2, https://api.jina.ai/v1 or http://vllm:8000/v1")).strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        // a URL pasted whole from a vendor's docs already names the route; do not append it twice
        if (base.endsWith(RERANK)) {
            base = base.substring(0, base.length() - RERANK.length());
        }
        this.baseUrl = base;
        this.apiKey = config.secret("api_key").map(s -> s.reveal()).orElse("");
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Posts a rerank request and returns the answer's JSON. */
    JsonNode rerank(JsonNode body) throws ModelException {
        HttpRequest.Builder request = HttpRequest.newBuilder("POST", baseUrl + RERANK)
                .connectTimeout(CONNECT).readTimeout(READ).totalTimeout(TOTAL).maxResponseBytes(MAX_RESPONSE)
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .body(bytes(body));
        if (!apiKey.isEmpty()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse response;
        try {
            response = http.send(request.build());
        } catch (EgressException e) {
            throw egressFailure(e);
        }
        if (response.status() >= 300) {
            throw failure(response.status(), response.bodyText(), response.header("Retry-After").orElse(null));
        }
        try {
            return RerankWire.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new RetriableModelException.Unavailable("the server at " + baseUrl + " answered with something that is not JSON", e);
        }
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return RerankWire.JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ModelException egressFailure(EgressException e) {
        return VendorErrors.ofEgress(e);
    }

    /**
     * A vendor's error answer as the SPI's failure. The message is the vendor's, with the key
     * masked should the vendor echo it (before the message is shortened, so that no part of the key
     * remains). 499 is Cohere's (and Google's) status for a request cancelled on the way, which
     * Cohere documents as worth retrying.
     */
    ModelException failure(int status, String body, String retryAfter) {
        String message = errorMessage(body, apiKey);
        String text = "HTTP " + status + (message.isEmpty() ? "" : ": " + message);
        // the same 404 when base_url does not lead to a /rerank route
        return VendorErrors.ofStatus(status, status == 404 ? text + " (no such model, or no /rerank route under base_url)"
                : text, VendorErrors.retryAfter(retryAfter));
    }

    /**
     * The message of an error body in any of the shapes these servers use: Cohere's
     * {@code {"message": ...}}, Jina's and other FastAPI servers' {@code {"detail": ...}} (a string,
     * or a list of validation errors for 422), and OpenAI's {@code {"error": {"message": ...}}}
     * (vLLM, Infinity, gateways). Anything else is shown as text, shortened. The key is masked
     * before the text is shortened.
     */
    static String errorMessage(String body, String apiKey) {
        String text = body == null ? "" : body.strip();
        String message;
        try {
            JsonNode node = RerankWire.JSON.readTree(text);
            message = node == null || !node.isObject() ? text : messageOf(node);
        } catch (IOException e) {
            message = text;
        }
        return VendorErrors.readable(message, apiKey, 500);
    }

    private static String messageOf(JsonNode node) {
        JsonNode error = node.path("error");
        if (error.isTextual()) {
            return error.asText();
        }
        if (error.path("message").isTextual()) {
            return error.path("message").asText();
        }
        if (node.path("message").isTextual()) {
            return node.path("message").asText();
        }
        JsonNode detail = node.path("detail");
        if (detail.isTextual()) {
            return detail.asText();
        }
        if (detail.isArray()) {
            List<String> problems = new ArrayList<>();
            for (JsonNode problem : detail) {
                List<String> location = new ArrayList<>();
                problem.path("loc").forEach(part -> location.add(part.asText()));
                String msg = problem.path("msg").asText(problem.toString());
                problems.add(location.isEmpty() ? msg : String.join(".", location) + ": " + msg);
            }
            return String.join("; ", problems);
        }
        return node.toString();
    }

}
