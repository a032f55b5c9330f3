package dev.weft.provider.anthropic.internal;

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

/**
 * One configured Anthropic server: its base URL and key, requests sent through the platform's
 * egress guard with Anthropic's headers, and its failures mapped onto the model SPI's taxonomy.
 *
 * <p>The base URL is the API's root, without {@code /v1} ({@code https://api.anthropic.com}, as
 * {@code ANTHROPIC_BASE_URL} is for Anthropic's own SDKs); paths passed here start with
 * {@code /v1/}. A base URL configured with a trailing {@code /v1} is accepted too: the suffix is
 * dropped so that it is not doubled.
 */
final class Endpoint {

    static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    /** The API version every request names; it fixes the wire format this provider speaks. */
    static final String API_VERSION = "2023-06-01";
    static final Duration CONNECT = Duration.ofSeconds(10);
    /** A stream may pause while the model thinks; a whole answer may take long to write. */
    static final Duration READ = Duration.ofSeconds(300);
    static final Duration TOTAL = Duration.ofSeconds(900);
    static final long MAX_RESPONSE = 32L * 1024 * 1024;

    private final OutboundHttp http;
    private final String baseUrl;
    private final String apiKey;

    Endpoint(OutboundHttp http, ProviderConfig config) {
        this.http = http;
        String base = config.setting("base_url").orElse(DEFAULT_BASE_URL).strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (base.endsWith("/v1")) {
            base = base.substring(0, base.length() - 3);
        }
        this.baseUrl = base;
        this.apiKey = config.secret("api_key").map(s -> s.reveal()).orElse("");
    }

    String baseUrl() {
        return baseUrl;
    }

    private HttpRequest.Builder request(String method, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(method, baseUrl + path)
                .connectTimeout(CONNECT).readTimeout(READ).totalTimeout(TOTAL).maxResponseBytes(MAX_RESPONSE)
                .header("Accept", "application/json")
                .header("anthropic-version", API_VERSION);
        if (!apiKey.isEmpty()) {
            builder.header("x-api-key", apiKey);
        }
        return builder;
    }

    JsonNode get(String path) throws ModelException {
        return send(request("GET", path).build());
    }

    JsonNode post(String path, JsonNode body) throws ModelException {
        return send(request("POST", path).header("Content-Type", "application/json").body(bytes(body)).build());
    }

    /** Posts and returns the streamed response once its status is known to be a success. */
    StreamingResponse postStream(String path, JsonNode body) throws ModelException {
        StreamingResponse response;
        try {
            response = http.open(request("POST", path).header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream").body(bytes(body)).build());
        } catch (EgressException e) {
            throw egressFailure(e);
        }
        if (response.status() >= 300) {
            String retryAfter = response.header("Retry-After").orElse(null);
            try (response) {
                byte[] error = response.body().readNBytes(64 * 1024);
                throw failure(response.status(), new String(error, StandardCharsets.UTF_8), retryAfter);
            } catch (IOException e) {
                throw failure(response.status(), "", retryAfter);
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
     * The HTTP status Anthropic answers an error type with, for errors that arrive inside a stream
     * that began with 200 ({@code event: error}). Unknown types count as server errors.
     */
    static int statusOf(String errorType) {
        return switch (errorType) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "overloaded_error" -> 529;
            default -> 500;
        };
    }

    /**
     * Anthropic's error answer ({@code {"type":"error","error":{"type":...,"message":...}}}) as the
     * SPI's failure; never includes request headers, and the key is masked should the message
     * quote it (a proxy in between may). The status decides, except that a {@code billing_error}
     * (no credit left) is a quota failure whatever status carries it.
     */
    ModelException failure(int status, String body, String retryAfter) {
        String message = errorMessage(body, apiKey);
        String text = "HTTP " + status + (message.isEmpty() ? "" : ": " + message);
        if (status == 402 || errorType(body).equals("billing_error")) {
            return new NonRetriableModelException.QuotaExceeded(text);
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

    private static String errorType(String body) {
        try {
            return Wire.JSON.readTree(body).path("error").path("type").asText("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

}
