package dev.weft.provider.ollama.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.api.http.EgressException;
import dev.weft.api.http.HttpRequest;
import dev.weft.api.http.HttpResponse;
import dev.weft.api.http.OutboundHttp;
import dev.weft.api.http.StreamingResponse;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.RetriableModelException;
import dev.weft.spi.model.VendorErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One configured Ollama server: its base URL, its optional key and {@code keep_alive}, requests
 * sent through the platform's egress guard, and Ollama's failures mapped onto the model SPI's
 * taxonomy.
 */
final class Endpoint {

    static final String DEFAULT_BASE_URL = "http://localhost:11434";
    static final Duration CONNECT = Duration.ofSeconds(10);
    /** Ollama may load a model from disk before it writes anything, and a stream may pause while a model thinks. */
    static final Duration READ = Duration.ofSeconds(300);
    static final Duration TOTAL = Duration.ofSeconds(900);
    static final long MAX_RESPONSE = 32L * 1024 * 1024;

    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d{1,18}");

    private final OutboundHttp http;
    private final String baseUrl;
    private final String apiKey;
    private final Object keepAlive;

    Endpoint(OutboundHttp http, ProviderConfig config) {
        this.http = http;
        this.baseUrl = baseUrl(config.setting("base_url").orElse(DEFAULT_BASE_URL));
        this.apiKey = config.secret("api_key").map(s -> s.reveal()).orElse("");
        this.keepAlive = keepAlive(config.settings().get("keep_alive"));
    }

    /**
     * The server's root: users often copy {@code http://host:11434/api} or a URL with a trailing
     * slash from Ollama's docs, so both are stripped; every path this provider sends starts with
     * {@code /api}.
     */
    static String baseUrl(String configured) {
        String base = configured.strip();
        while (true) {
            if (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            } else if (base.endsWith("/api")) {
                base = base.substring(0, base.length() - 4);
            } else {
                return base;
            }
        }
    }

    /**
     * Ollama reads {@code keep_alive} as a number of seconds or as a Go duration ({@code "5m"}); a
     * whole number given as text ({@code "-1"}, keep loaded forever) is not a valid Go duration, so
     * it is sent as a number. Null when not configured.
     */
    static Object keepAlive(Object configured) {
        if (configured instanceof Number number) {
            return number;
        }
        if (configured instanceof String text && !text.isBlank()) {
            String value = text.strip();
            return WHOLE_NUMBER.matcher(value).matches() ? (Object) Long.parseLong(value) : value;
        }
        return null;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Adds the configured {@code keep_alive} to a request body that has none of its own. */
    void keepAlive(ObjectNode body) {
        if (keepAlive != null && !body.has("keep_alive")) {
            body.set("keep_alive", Wire.JSON.valueToTree(keepAlive));
        }
    }

    private HttpRequest.Builder request(String method, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(method, baseUrl + path)
                .connectTimeout(CONNECT).readTimeout(READ).totalTimeout(TOTAL).maxResponseBytes(MAX_RESPONSE)
                .header("Accept", "application/json");
        if (!apiKey.isEmpty()) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder;
    }

    JsonNode get(String path) throws ModelException {
        return send(request("GET", path).build());
    }

    JsonNode post(String path, JsonNode body) throws ModelException {
        return send(request("POST", path).header("Content-Type", "application/json").body(bytes(body)).build());
    }

    /** Posts and returns the streamed (NDJSON) response once its status is known to be a success. */
    StreamingResponse postStream(String path, JsonNode body) throws ModelException {
        StreamingResponse response;
        try {
            response = http.open(request("POST", path).header("Content-Type", "application/json")
                    .header("Accept", "application/x-ndjson").body(bytes(body)).build());
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
            throw new RetriableModelException.Unavailable("Ollama at " + baseUrl + " answered with something that is not JSON", e);
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
     * Ollama's error answer ({@code {"error":"..."}}) as the SPI's failure. Built from the status
     * and the body only, so no request header reaches the message; the key is masked should the
     * body quote it (a proxy in front of Ollama may).
     */
    ModelException failure(int status, String body, String retryAfter) {
        String message = errorMessage(body);
        String text = "HTTP " + status + (message.isEmpty() ? "" : ": " + message);
        return VendorErrors.ofStatus(status, text, VendorErrors.retryAfter(retryAfter));
    }

    /**
     * The {@code error} text of an Ollama error body; the body itself, shortened, when it is not
     * one. The key is masked before the text is shortened, so that no part of it remains.
     */
    String errorMessage(String body) {
        String text = body == null ? "" : body.strip();
        try {
            JsonNode error = Wire.JSON.readTree(text).path("error");
            if (error.isTextual()) {
                return VendorErrors.readable(error.asText(), apiKey, 500);
            }
            if (error.path("message").isTextual()) {
                return VendorErrors.readable(error.path("message").asText(), apiKey, 500);
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: a proxy's page, or plain text
        }
        return VendorErrors.readable(text, apiKey, 200);
    }

}
