package dev.weft.provider.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.http.EgressException;
import dev.weft.api.http.HttpRequest;
import dev.weft.api.http.HttpResponse;
import dev.weft.api.http.OutboundHttp;
import dev.weft.api.http.StreamingResponse;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.RetriableModelException;
import dev.weft.spi.model.VendorErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One configured server: its base URL and key, requests sent through the platform's egress guard,
 * and the vendor's failures mapped onto the model SPI's taxonomy.
 */
final class Endpoint {

    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    static final Duration CONNECT = Duration.ofSeconds(10);
    /** A stream may pause while a model thinks; a whole answer may take long to write. */
    static final Duration READ = Duration.ofSeconds(300);
    static final Duration TOTAL = Duration.ofSeconds(900);
    static final long MAX_RESPONSE = 32L * 1024 * 1024;

    /** Names this bundle and its version to the server, so that an operator can tell which build called. */
    static final String USER_AGENT = "weft-provider-openai/" + version();

    private final OutboundHttp http;
    private final String baseUrl;
    private final String apiKey;
    private final String organization;
    /** Azure OpenAI's API version when the server is a deployment-style Azure endpoint; null otherwise. */
    private final String azureVersion;
    private final boolean azure;

    /** Azure OpenAI's current GA API version, used when the configuration names none. */
    static final String AZURE_API_VERSION = "2024-10-21";

    Endpoint(OutboundHttp http, ProviderConfig config) {
        this.http = http;
        String base = config.setting("base_url").or(() -> config.setting("endpoint_url")).orElse(DEFAULT_BASE_URL).strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        this.apiKey = config.secret("api_key").map(s -> s.reveal()).orElse("");
        this.organization = config.setting("organization").orElse("");
        // Azure OpenAI: a resource endpoint (https://<name>.openai.azure.com) serves deployments under
        // /openai/deployments/<deployment>/... with an api-version; its /openai/v1 API is OpenAI's own
        // shape. Both take the key in an api-key header.
        String host = java.net.URI.create(base.contains("://") ? base : "https://" + base).getHost();
        host = host == null ? "" : host.toLowerCase(java.util.Locale.ROOT);
        this.azure = host.endsWith(".openai.azure.com") || host.endsWith(".cognitiveservices.azure.com")
                || host.endsWith(".services.ai.azure.com") || config.setting("api_type").filter("azure"::equalsIgnoreCase).isPresent();
        boolean v1 = base.endsWith("/openai/v1") || base.endsWith("/v1");
        this.azureVersion = azure && !v1 ? config.setting("api_version").or(() -> config.setting("openai_api_version"))
                .orElse(AZURE_API_VERSION) : null;
        if (azureVersion != null && base.endsWith("/openai")) {
            base = base.substring(0, base.length() - "/openai".length());
        }
        this.baseUrl = base;
    }

    /**
     * The URL of an API path ({@code /chat/completions}, {@code /embeddings}, {@code /models}): under
     * the base URL, or for an Azure deployment endpoint, under the model's deployment with the API
     * version.
     */
    String url(String path, JsonNode body) {
        if (azureVersion == null) {
            return baseUrl + path;
        }
        String version = "?api-version=" + java.net.URLEncoder.encode(azureVersion, StandardCharsets.UTF_8);
        if (path.equals("/models")) {
            return baseUrl + "/openai/models" + version;
        }
        String deployment = body == null ? "" : body.path("model").asText("");
        return baseUrl + "/openai/deployments/" + java.net.URLEncoder.encode(deployment, StandardCharsets.UTF_8)
                .replace("+", "%20") + path + version;
    }

    boolean azure() {
        return azure;
    }

    private static String version() {
        org.osgi.framework.Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(Endpoint.class);
        return bundle == null ? "dev" : bundle.getVersion().toString();
    }

    String baseUrl() {
        return baseUrl;
    }

    private HttpRequest.Builder request(String method, String path, JsonNode body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(method, url(path, body))
                .connectTimeout(CONNECT).readTimeout(READ).totalTimeout(TOTAL).maxResponseBytes(MAX_RESPONSE)
                .header("Accept", "application/json").header("User-Agent", USER_AGENT);
        if (!apiKey.isEmpty()) {
            builder.header(azure ? "api-key" : "Authorization", azure ? apiKey : "Bearer " + apiKey);
        }
        if (!organization.isEmpty()) {
            builder.header("OpenAI-Organization", organization);
        }
        return builder;
    }

    JsonNode get(String path) throws ModelException {
        return send(request("GET", path, null).build());
    }

    JsonNode post(String path, JsonNode body) throws ModelException {
        return send(request("POST", path, body).header("Content-Type", "application/json")
                .body(bytes(body)).build());
    }

    /** Posts and returns the streamed response once its status is known to be a success. */
    StreamingResponse postStream(String path, JsonNode body) throws ModelException {
        StreamingResponse response;
        try {
            response = http.open(request("POST", path, body).header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream").body(bytes(body)).build());
        } catch (EgressException e) {
            throw egressFailure(e);
        }
        if (response.status() >= 300) {
            try (response) {
                byte[] error = response.body().readNBytes(64 * 1024);
                throw failure(response.status(), new String(error, StandardCharsets.UTF_8),
                        response.header("Retry-After").orElse(null));
            } catch (IOException e) {
                throw failure(response.status(), "", response.header("Retry-After").orElse(null));
            }
        }
        return response;
    }

    private JsonNode send(HttpRequest request) throws ModelException {
        HttpResponse response;
        try {
            response = http.send(request);
        } catch (EgressException e) {
            throw egressFailure(e);
        }
        if (response.status() >= 300) {
            throw failure(response.status(), response.bodyText(), response.header("Retry-After").orElse(null));
        }
        try {
            return Wire.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new RetriableModelException.Unavailable("the server at " + baseUrl + " answered with something that is not JSON", e);
        }
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return Wire.JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ModelException egressFailure(EgressException e) {
        return VendorErrors.ofEgress(e);
    }

    /**
     * A vendor's error answer as the SPI's failure; never includes request headers, and the key is
     * masked should the answer quote it (a proxy or gateway may).
     */
    ModelException failure(int status, String body, String retryAfter) {
        String message = errorMessage(body, apiKey);
        String code = errorCode(body);
        String text = "HTTP " + status + (message.isEmpty() ? "" : ": " + message);
        boolean quota = code.contains("quota") || message.toLowerCase(Locale.ROOT).contains("quota");
        if (status == 403 && quota || status == 429 && code.contains("insufficient_quota")) {
            return new NonRetriableModelException.QuotaExceeded(text);
        }
        if (status == 400 && (code.contains("content_filter") || code.contains("content_policy"))) {
            return new NonRetriableModelException.ContentFiltered(text);
        }
        return VendorErrors.ofStatus(status, text, VendorErrors.retryAfter(retryAfter));
    }

    /** The message of an error body, the key masked before it is shortened so that no part of it remains. */
    private static String errorMessage(String body, String apiKey) {
        try {
            JsonNode node = Wire.JSON.readTree(body);
            JsonNode error = node.path("error");
            String message = error.isTextual() ? error.asText() : error.path("message").asText(node.path("message").asText(""));
            return VendorErrors.readable(message, apiKey, 500);
        } catch (IOException | RuntimeException e) {
            return VendorErrors.readable(body == null ? "" : body.strip(), apiKey, 200);
        }
    }

    private static String errorCode(String body) {
        try {
            JsonNode error = Wire.JSON.readTree(body).path("error");
            return (error.path("code").asText("") + " " + error.path("type").asText("")).toLowerCase(Locale.ROOT);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

}
