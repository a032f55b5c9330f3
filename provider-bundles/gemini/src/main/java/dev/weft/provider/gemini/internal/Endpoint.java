package dev.weft.provider.gemini.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.http.EgressException;
import dev.weft.api.http.HttpRequest;
import dev.weft.api.http.HttpResponse;
import dev.weft.api.http.OutboundHttp;
import dev.weft.api.http.StreamingResponse;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.RetriableModelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One configured Generative Language API: its base URL and key, requests sent through the
 * platform's egress guard, and failures handed to {@link Failures}.
 *
 * <p>The key travels in the {@code x-goog-api-key} header, never in the URL's {@code key=} query
 * parameter, so that it cannot end up in a log line that prints a URL.
 *
 * <p>The base URL is the API's root, without a version ({@code https://generativelanguage.googleapis.com});
 * paths passed here start with {@link #VERSION}. A base URL configured with a trailing
 * {@code /v1beta} or {@code /v1} is accepted too: the suffix is dropped so that no version is doubled.
 */
final class Endpoint {

    static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
    static final String VERSION = "/v1beta";
    static final Duration CONNECT = Duration.ofSeconds(10);
    /** A stream may pause while a model thinks; a whole answer may take long to write. */
    static final Duration READ = Duration.ofSeconds(300);
    static final Duration TOTAL = Duration.ofSeconds(900);
    static final long MAX_RESPONSE = 32L * 1024 * 1024;

    private final OutboundHttp http;
    private final String baseUrl;
    private final Failures failures;
    private final String apiKey;

    Endpoint(OutboundHttp http, ProviderConfig config) {
        this.http = http;
        this.baseUrl = baseUrl(config.setting("base_url").orElse(DEFAULT_BASE_URL));
        this.apiKey = config.secret("api_key").map(s -> s.reveal()).orElse("");
        this.failures = new Failures(apiKey);
    }

    /** The configured base URL without trailing slashes and without a trailing {@code /v1beta} or {@code /v1}. */
    static String baseUrl(String configured) {
        String base = configured.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        for (String version : new String[] {VERSION, "/v1"}) {
            if (base.endsWith(version)) {
                return base.substring(0, base.length() - version.length());
            }
        }
        return base;
    }

    String baseUrl() {
        return baseUrl;
    }

    Failures failures() {
        return failures;
    }

    /**
     * The API path of a model's resource: {@code /v1beta/models/gemini-2.5-flash}. A name that is
     * already a resource name ({@code models/x}, {@code tunedModels/x}) is used as it is.
     */
    static String resource(String model) {
        String name = model.strip();
        return VERSION + "/" + (name.startsWith("models/") || name.startsWith("tunedModels/") ? name : "models/" + name);
    }

    private HttpRequest.Builder request(String method, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(method, baseUrl + path)
                .connectTimeout(CONNECT).readTimeout(READ).totalTimeout(TOTAL).maxResponseBytes(MAX_RESPONSE)
                .header("Accept", "application/json");
        if (!apiKey.isEmpty()) {
            builder.header("x-goog-api-key", apiKey);
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
            throw Failures.egress(e);
        }
        if (response.status() >= 300) {
            String retryAfter = response.header("Retry-After").orElse(null);
            try (response) {
                byte[] error = response.body().readNBytes(64 * 1024);
                throw failures.of(response.status(), new String(error, StandardCharsets.UTF_8), retryAfter);
            } catch (IOException e) {
                throw failures.of(response.status(), "", retryAfter);
            }
        }
        return response;
    }

    private JsonNode send(HttpRequest request) throws ModelException {
        HttpResponse response;
        try {
            response = http.send(request);
        } catch (EgressException e) {
            throw Failures.egress(e);
        }
        if (response.status() >= 300) {
            throw failures.of(response.status(), response.bodyText(), response.header("Retry-After").orElse(null));
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
}
