package dev.weft.platform.models.internal;

import dev.weft.api.core.Secret;
import dev.weft.api.model.ModelCall;
import dev.weft.platform.store.ModelSettingsRepository;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ModelType;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each model call goes: the provider and model it names when the workspace or the instance
 * has credentials for it and a plug-in serves it; else the workspace's default model; else the
 * instance's. After the first target come the operator's fallback chains. Everything can be
 * overridden by one route (the {@code dsl run --model-base-url} of the command line).
 */
final class ModelTargets {

    private static final Logger LOG = LoggerFactory.getLogger(ModelTargets.class);

    /** The default embedding model of a fresh install: in the process, offline, nothing to configure. */
    static final String LOCAL_PROVIDER = "local";
    static final String LOCAL_EMBEDDING = "bge-small-en-v1.5";

    private final ProviderDirectory providers;
    private final ProviderCredentials credentials;
    private final Supplier<ModelRuntimeService.Config> config;
    private final Supplier<ModelSettingsRepository> store;
    private volatile Route route;
    private volatile ParsedChains parsedChains;

    /** Every call to one OpenAI-compatible base URL. */
    record Route(String baseUrl, String apiKey) {
    }

    private record ParsedChains(String[] source, FallbackChains chains) {
    }

    ModelTargets(ProviderDirectory providers, ProviderCredentials credentials, Supplier<ModelRuntimeService.Config> config,
            Supplier<ModelSettingsRepository> store) {
        this.providers = providers;
        this.credentials = credentials;
        this.config = config;
        this.store = store;
    }

    /** Sends every chat call to this route until it is cleared. */
    void route(Route next) {
        route = next;
    }

    /** Clears the route, when it is still this one. */
    void clear(Route previous) {
        if (route == previous) {
            route = null;
        }
    }

    /** Where a chat call goes now. */
    Target chat(ModelCall call) throws ModelException {
        Route override = route;
        if (override != null) {
            return new Target("openai", new ProviderConfig(Map.of("base_url", override.baseUrl()),
                    Map.of("api_key", Secret.of(override.apiKey()))), call.model().isBlank() ? "default" : call.model(),
                    List.of());
        }
        List<String> warnings = new ArrayList<>();
        if (!call.provider().isBlank()) {
            ProviderRoutes.Route vendor = vendorOf(call.provider());
            if (vendor == null) {
                warnings.add("the provider '" + call.provider() + "' is not one Weft knows; the default model answers");
            } else {
                ProviderConfig found = credentials.of(call.workspaceId(), call.provider(), vendor);
                if (found == null) {
                    warnings.add("the provider '" + call.provider() + "' has no credentials; the default model answers");
                } else if (!providers.servesOrReturns(vendor.provider(), patience())) {
                    warnings.add("no installed plug-in provides '" + vendor.provider() + "'; the default model answers");
                } else {
                    return new Target(vendor.provider(), found, call.model(), warnings);
                }
            }
        }
        Target fallback = workspaceDefault(call.workspaceId(), ModelType.CHAT, warnings);
        if (fallback == null) {
            fallback = instanceDefault(warnings);
        }
        if (fallback == null) {
            throw new NonRetriableModelException.InvalidRequest((call.provider().isBlank() ? "no model was named"
                    : String.join("; ", warnings)) + ", and no default model is configured (set OPENAI_API_KEY, or"
                    + " default.provider and default.model in conf/dev.weft.models.cfg)");
        }
        if (!warnings.isEmpty()) {
            LOG.warn("Model call of node {} in run {}: {}", call.nodeId(), call.runId(), String.join("; ", warnings));
        }
        return fallback;
    }

    /**
     * Where an embedding or rerank call goes: the model it names, with the workspace's or the
     * instance's credentials; else the workspace's default model of that type; else, for
     * embeddings, the local model that needs nothing configured.
     */
    Target typed(ModelCall call, ModelType type) throws ModelException {
        List<String> warnings = new ArrayList<>();
        String what = type == ModelType.RERANK ? "rerank" : "embedding";
        // the workspace's default is looked up once: embeddings of an ingestion come here for every batch
        Target byDefault = call.provider().isBlank() ? workspaceDefault(call.workspaceId(), type, warnings) : null;
        if (call.provider().equals(LOCAL_PROVIDER) || call.provider().isBlank() && type == ModelType.EMBEDDING
                && byDefault == null) {
            if (!providers.has(LOCAL_PROVIDER)) {
                throw new NonRetriableModelException.InvalidRequest("no " + what + " model was named or set as the"
                        + " workspace's default, and the local one (the weft-provider-local bundle) is not installed");
            }
            return new Target(LOCAL_PROVIDER, new ProviderConfig(Map.of(), Map.of()),
                    call.model().isBlank() ? LOCAL_EMBEDDING : call.model(), List.of());
        }
        if (!call.provider().isBlank()) {
            ProviderRoutes.Route vendor = vendorOf(call.provider());
            if (vendor != null) {
                ProviderConfig found = credentials.of(call.workspaceId(), call.provider(), vendor);
                if (found != null && providers.servesOrReturns(vendor.provider(), patience())) {
                    return new Target(vendor.provider(), found, call.model(), warnings);
                }
            }
            warnings.add("the " + what + " model " + call.provider() + "/" + call.model()
                    + " cannot be used (unknown provider, no credentials or not installed); the workspace's default answers");
        }
        Target fallback = byDefault != null ? byDefault : workspaceDefault(call.workspaceId(), type, warnings);
        if (fallback == null) {
            throw new NonRetriableModelException.InvalidRequest((warnings.isEmpty() ? "no " + what + " model was named"
                    : String.join("; ", warnings)) + ", and the workspace has no default " + what + " model");
        }
        if (!warnings.isEmpty()) {
            LOG.warn("{} call of node {} in run {}: {}", what, call.nodeId(), call.runId(), String.join("; ", warnings));
        }
        return fallback;
    }

    /**
     * The target and, after it, the fallback chain the operator set for its model
     * ({@code fallbacks = ["gpt-4o -> anthropic/claude-sonnet-4-5, gemini/gemini-2.5-flash", "* -> openai/gpt-4o-mini"]}):
     * the first entry naming the model (or {@code provider/model}), else the one for {@code *}. A
     * fallback whose provider has no credentials or is not installed is left out.
     */
    List<Target> chain(ModelCall call, Target first) {
        List<Target> chain = new ArrayList<>();
        chain.add(first);
        ModelRuntimeService.Config settings = config.get();
        if (settings == null || settings.fallbacks() == null) {
            return chain;
        }
        for (String entry : fallbackChains(settings).next(first.provider(), first.model())) {
            int slash = entry.indexOf('/');
            String providerId = entry.substring(0, slash);
            String model = entry.substring(slash + 1);
            ProviderRoutes.Route vendor = ProviderRoutes.of(providerId).orElse(new ProviderRoutes.Route(providerId, null, null));
            ProviderConfig found = credentials.of(call.workspaceId(), providerId, vendor);
            if (found != null && providers.has(vendor.provider())
                    && !(vendor.provider().equals(first.provider()) && model.equals(first.model()))) {
                chain.add(new Target(vendor.provider(), found, model, List.of()));
            }
        }
        return chain;
    }

    /** How long a call waits for a provider being replaced. */
    Duration patience() {
        ModelRuntimeService.Config settings = config.get();
        return Duration.ofSeconds(settings == null ? 10 : Math.max(0, settings.provider_wait_seconds()));
    }

    /** The vendor a provider id names, or an installed plug-in of that id; null for neither. */
    private ProviderRoutes.Route vendorOf(String provider) {
        return ProviderRoutes.of(provider)
                .orElseGet(() -> providers.has(provider) ? new ProviderRoutes.Route(provider, null, null) : null);
    }

    /** The workspace's default model of a type, when it set one and can use it. */
    private Target workspaceDefault(String workspaceId, ModelType type, List<String> warnings) {
        ModelSettingsRepository repository = store.get();
        if (repository == null) {
            return null;
        }
        Optional<ModelSettingsRepository.DefaultModel> chosen;
        try {
            chosen = repository.defaultModel(workspaceId, type.wireName());
        } catch (RuntimeException e) {
            return null;
        }
        if (chosen.isEmpty()) {
            return null;
        }
        ProviderRoutes.Route vendor = ProviderRoutes.of(chosen.get().provider())
                .orElse(new ProviderRoutes.Route(chosen.get().provider(), null, null));
        ProviderConfig found = credentials.of(workspaceId, chosen.get().provider(), vendor);
        if (found == null || !providers.has(vendor.provider())) {
            return null;
        }
        return new Target(vendor.provider(), found, chosen.get().model(), warnings);
    }

    /** The instance's default chat model: the configured one, else the first vendor with credentials. */
    private Target instanceDefault(List<String> warnings) {
        ModelRuntimeService.Config settings = config.get();
        if (settings != null && !settings.default_provider().isBlank() && !settings.default_model().isBlank()) {
            ProviderRoutes.Route vendor = ProviderRoutes.of(settings.default_provider())
                    .orElse(new ProviderRoutes.Route(settings.default_provider(), null, null));
            ProviderConfig found = credentials.instance(vendor, settings.default_provider());
            if (found != null && providers.has(vendor.provider())) {
                return new Target(vendor.provider(), found, settings.default_model(), warnings);
            }
        }
        // a fresh install's default: the first configured provider, with a model it surely has
        Map<String, String> firsts = new LinkedHashMap<>();
        firsts.put("openai", "gpt-4o-mini");
        firsts.put("anthropic", "claude-3-5-haiku-latest");
        firsts.put("gemini", "gemini-2.0-flash");
        for (Map.Entry<String, String> first : firsts.entrySet()) {
            ProviderRoutes.Route vendor = ProviderRoutes.of(first.getKey()).orElseThrow();
            ProviderConfig found = credentials.instance(vendor, first.getKey());
            if (found != null && providers.has(vendor.provider())) {
                return new Target(vendor.provider(), found, first.getValue(), warnings);
            }
        }
        return null;
    }

    /** The configured chains, parsed once per configuration; a configuration that does not parse is logged and has none. */
    private FallbackChains fallbackChains(ModelRuntimeService.Config settings) {
        ParsedChains parsed = parsedChains;
        if (parsed == null || parsed.source() != settings.fallbacks()) {
            FallbackChains chains;
            try {
                chains = FallbackChains.parse(settings.fallbacks());
            } catch (IllegalArgumentException e) {
                LOG.error("The fallback chains of {} are ignored: {}", ModelRuntimeService.PID, e.getMessage());
                chains = FallbackChains.parse(new String[0]);
            }
            parsed = new ParsedChains(settings.fallbacks(), chains);
            parsedChains = parsed;
        }
        return parsed.chains();
    }
}
