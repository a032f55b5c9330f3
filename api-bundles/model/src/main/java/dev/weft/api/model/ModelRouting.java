package dev.weft.api.model;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Overrides where model calls go, for operator commands ({@code bin/weft dsl run --model-base-url}).
 * Provided by the platform next to {@link ModelRuntime}.
 */
@ProviderType
public interface ModelRouting {

    /**
     * Sends every model call, whatever provider and credentials it names, to the OpenAI-compatible
     * server at {@code baseUrl} (ending in {@code /v1}), with the model names as the app gives them,
     * until the returned handle is closed.
     */
    AutoCloseable routeAllTo(String baseUrl, String apiKey);
}
