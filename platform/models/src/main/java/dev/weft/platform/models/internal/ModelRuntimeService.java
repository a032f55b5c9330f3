package dev.weft.platform.models.internal;

import dev.weft.api.core.Secret;
import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelResult;
import dev.weft.api.model.ModelRuntime;
import dev.weft.platform.egress.EgressAllowances;
import dev.weft.api.model.ModelRouting;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatModel;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.EmbeddingRequest;
import dev.weft.spi.model.EmbeddingResponse;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ModelProvider;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.RetriableModelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model runtime: finds the provider bundle serving a call now (a call keeps the instance it
 * started with), the instance's credentials for it, falls back to the default model when the
 * provider cannot serve, and retries failures that may pass with exponential backoff and jitter,
 * honouring {@code Retry-After}. Configured by PID {@code dev.weft.models} and the environment
 * ({@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code ANTHROPIC_API_KEY}, {@code GEMINI_API_KEY},
 * {@code OLLAMA_BASE_URL}, and the keys of OpenAI-compatible vendors).
 */
@Component(service = {ModelRuntime.class, ModelRouting.class}, configurationPid = ModelRuntimeService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ModelRuntimeService.Config.class)
public final class ModelRuntimeService implements ModelRuntime, ModelRouting {

    static final String PID = "dev.weft.models";
    private static final Logger LOG = LoggerFactory.getLogger(ModelRuntimeService.class);

    @ObjectClassDefinition(name = "Weft model runtime")
    public @interface Config {
        @AttributeDefinition(description = "The provider of the default chat model (a Weft or Dify id); empty: the first configured")
        String default_provider() default "";

        @AttributeDefinition(description = "The default chat model")
        String default_model() default "";

        @AttributeDefinition(description = "Retries of a call whose failure may pass")
        int max_retries() default 3;

        @AttributeDefinition(description = "The first retry's delay, in milliseconds; each next one doubles, with jitter")
        int retry_base_millis() default 500;

        @AttributeDefinition(description = "The longest delay between retries, in seconds (a Retry-After may ask for up to 60)")
        int retry_max_seconds() default 20;
    }

    /** Waits between retries; tests replace it. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Where a call goes: a provider, its configuration, the model, and why it went elsewhere. */
    record Target(String provider, ProviderConfig config, String model, List<String> warnings) {
    }

    private final Map<String, ModelProvider> providers = new ConcurrentHashMap<>();
    private final Map<String, Integer> ranks = new ConcurrentHashMap<>();
    private final Map<String, String> env;
    private volatile Config config;
    private volatile Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());
    private volatile Route route;
    private final List<EgressAllowances.Allowance> allowances = new ArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EgressAllowances egress;

    private record Route(String baseUrl, String apiKey) {
    }

    public ModelRuntimeService() {
        this(System.getenv());
    }

    ModelRuntimeService(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Activate
    void activate(Config config) {
        this.config = config;
        // the operator's own base URLs may be local or private (an Ollama, a vLLM): the guard lets them through
        for (String variable : List.of("OPENAI_BASE_URL", "OLLAMA_BASE_URL", "ANTHROPIC_BASE_URL")) {
            String url = env.get(variable);
            if (url != null && !url.isBlank()) {
                allow(url, variable);
            }
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (allowances) {
            allowances.forEach(EgressAllowances.Allowance::close);
            allowances.clear();
        }
    }

    void configure(Config config, Sleeper sleeper) {
        this.config = config;
        this.sleeper = sleeper;
    }

    private void allow(String url, String reason) {
        EgressAllowances guard = egress;
        if (guard == null) {
            return;
        }
        try {
            EgressAllowances.Allowance allowance = guard.allow(url, reason);
            synchronized (allowances) {
                allowances.add(allowance);
            }
        } catch (RuntimeException e) {
            LOG.warn("{} is not a usable base URL: {}", reason, e.getMessage());
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(ModelProvider provider, Map<String, Object> properties) {
        String id = provider.descriptor().id();
        int rank = properties.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
        Integer current = ranks.get(id);
        if (current == null || rank >= current) {
            providers.put(id, provider);
            ranks.put(id, rank);
        }
    }

    void removeProvider(ModelProvider provider) {
        String id = provider.descriptor().id();
        providers.remove(id, provider);
        if (!providers.containsKey(id)) {
            ranks.remove(id);
        }
    }

    @Override
    public AutoCloseable routeAllTo(String baseUrl, String apiKey) {
        Route next = new Route(baseUrl.strip(), apiKey == null || apiKey.isBlank() ? "weft" : apiKey);
        EgressAllowances guard = egress;
        EgressAllowances.Allowance allowance = guard == null ? null : guard.allow(next.baseUrl(), "--model-base-url");
        route = next;
        return () -> {
            if (route == next) {
                route = null;
            }
            if (allowance != null) {
                allowance.close();
            }
        };
    }

    /** Where a call goes now. */
    Target target(ModelCall call) throws ModelException {
        Route override = route;
        if (override != null) {
            return new Target("openai", new ProviderConfig(Map.of("base_url", override.baseUrl()),
                    Map.of("api_key", Secret.of(override.apiKey()))), call.model().isBlank() ? "default" : call.model(),
                    List.of());
        }
        List<String> warnings = new ArrayList<>();
        if (!call.provider().isBlank()) {
            ProviderRoutes.Route vendor = ProviderRoutes.of(call.provider())
                    .orElseGet(() -> providers.containsKey(call.provider()) ? new ProviderRoutes.Route(call.provider(), null, null) : null);
            if (vendor == null) {
                warnings.add("the provider '" + call.provider() + "' is not one Weft knows; the default model answers");
            } else {
                ProviderConfig credentials = instanceConfig(vendor, call.provider());
                if (credentials == null) {
                    warnings.add("the provider '" + call.provider() + "' has no credentials; the default model answers");
                } else if (!providers.containsKey(vendor.provider())) {
                    warnings.add("no installed plug-in provides '" + vendor.provider() + "'; the default model answers");
                } else {
                    return new Target(vendor.provider(), credentials, call.model(), warnings);
                }
            }
        }
        Target fallback = defaultTarget(warnings);
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

    private Target defaultTarget(List<String> warnings) {
        Config settings = config;
        if (settings != null && !settings.default_provider().isBlank() && !settings.default_model().isBlank()) {
            ProviderRoutes.Route vendor = ProviderRoutes.of(settings.default_provider())
                    .orElse(new ProviderRoutes.Route(settings.default_provider(), null, null));
            ProviderConfig credentials = instanceConfig(vendor, settings.default_provider());
            if (credentials != null && providers.containsKey(vendor.provider())) {
                return new Target(vendor.provider(), credentials, settings.default_model(), warnings);
            }
        }
        // a fresh install's default: the first configured provider, with a model it surely has
        Map<String, String> firsts = new LinkedHashMap<>();
        firsts.put("openai", "gpt-4o-mini");
        firsts.put("anthropic", "claude-3-5-haiku-latest");
        firsts.put("gemini", "gemini-2.0-flash");
        for (Map.Entry<String, String> first : firsts.entrySet()) {
            ProviderRoutes.Route vendor = ProviderRoutes.of(first.getKey()).orElseThrow();
            ProviderConfig credentials = instanceConfig(vendor, first.getKey());
            if (credentials != null && providers.containsKey(vendor.provider())) {
                return new Target(vendor.provider(), credentials, first.getValue(), warnings);
            }
        }
        return null;
    }

    /** The instance's credentials for a vendor, from the environment; null when it has none. */
    private ProviderConfig instanceConfig(ProviderRoutes.Route vendor, String asNamed) {
        Map<String, Object> settings = new HashMap<>();
        Map<String, Secret> secrets = new HashMap<>();
        String key = vendor.keyVariable() == null ? null : env.get(vendor.keyVariable());
        String base = vendor.baseUrl();
        switch (vendor.provider()) {
            case "openai" -> {
                if (base == null) {
                    base = env.get("OPENAI_BASE_URL");
                }
                if (key == null && vendor.keyVariable() != null && vendor.keyVariable().equals("OPENAI_API_KEY")) {
                    key = env.get("OPENAI_API_KEY");
                }
                if (key == null && base == null) {
                    return null;
                }
                if (asNamed.contains("openai_api_compatible") && base == null) {
                    return null;
                }
            }
            case "ollama" -> {
                base = env.get("OLLAMA_BASE_URL");
                if (base == null) {
                    return null;
                }
            }
            case "anthropic" -> {
                if (key == null) {
                    return null;
                }
                base = env.get("ANTHROPIC_BASE_URL");
            }
            default -> {
                if (key == null) {
                    return null;
                }
            }
        }
        if (base != null && !base.isBlank()) {
            settings.put("base_url", base);
        }
        if (key != null && !key.isBlank()) {
            secrets.put("api_key", Secret.of(key));
        }
        return new ProviderConfig(settings, secrets);
    }

    @Override
    public ModelResult chat(ModelCall call, ChatRequest request) throws ModelException {
        Target target = target(call);
        ChatModel model = provider(target).chatModel(target.config(), target.model());
        int[] attempts = {0};
        ChatResponse response = retrying(attempts, () -> false, () -> model.chat(request));
        return new ModelResult(response, target.provider(), target.model(), target.warnings(), attempts[0]);
    }

    @Override
    public ModelResult stream(ModelCall call, ChatRequest request, Consumer<ChatEvent> sink) throws ModelException {
        Target target = target(call);
        ChatModel model = provider(target).chatModel(target.config(), target.model());
        AtomicBoolean delivered = new AtomicBoolean();
        ChatResponse[] whole = new ChatResponse[1];
        int[] attempts = {0};
        retrying(attempts, delivered::get, () -> {
            model.stream(request, event -> {
                if (event instanceof ChatEvent.Completed completed) {
                    whole[0] = completed.response();
                }
                delivered.set(true);
                sink.accept(event);
            });
            return null;
        });
        if (whole[0] == null) {
            throw new RetriableModelException.Unavailable("the provider " + target.provider()
                    + " ended its stream without the whole answer", null);
        }
        return new ModelResult(whole[0], target.provider(), target.model(), target.warnings(), attempts[0]);
    }

    /** The default embedding model of a fresh install: in the process, offline, nothing to configure. */
    static final String LOCAL_PROVIDER = "local";
    static final String LOCAL_EMBEDDING = "bge-small-en-v1.5";

    @Override
    public EmbeddingResponse embed(ModelCall call, EmbeddingRequest request) throws ModelException {
        Target target;
        if (call.provider().isBlank() || call.provider().equals(LOCAL_PROVIDER)) {
            if (!providers.containsKey(LOCAL_PROVIDER)) {
                throw new NonRetriableModelException.InvalidRequest("no embedding model was named, and the local one"
                        + " (the weft-provider-local bundle) is not installed");
            }
            target = new Target(LOCAL_PROVIDER, new ProviderConfig(Map.of(), Map.of()),
                    call.model().isBlank() ? LOCAL_EMBEDDING : call.model(), List.of());
        } else {
            target = target(call);
        }
        var model = provider(target).embeddingModel(target.config(), target.model());
        return retrying(new int[1], () -> false, () -> model.embed(request));
    }

    private ModelProvider provider(Target target) throws ModelException {
        ModelProvider provider = providers.get(target.provider());
        if (provider == null) {
            throw new NonRetriableModelException.InvalidRequest("no installed plug-in provides '" + target.provider() + "'");
        }
        return provider;
    }

    @FunctionalInterface
    interface Attempt<T> {
        T run() throws ModelException;
    }

    /** Runs the attempt, again after a delay while it fails in a way that may pass and nothing was delivered. */
    <T> T retrying(int[] attempts, java.util.function.BooleanSupplier delivered, Attempt<T> attempt) throws ModelException {
        Config settings = config;
        int maxRetries = settings == null ? 3 : Math.max(0, settings.max_retries());
        long base = settings == null ? 500 : Math.max(1, settings.retry_base_millis());
        long cap = settings == null ? 20_000 : Math.max(1, settings.retry_max_seconds()) * 1000L;
        while (true) {
            attempts[0]++;
            try {
                return attempt.run();
            } catch (RetriableModelException e) {
                if (attempts[0] > maxRetries || delivered.getAsBoolean()) {
                    throw e;
                }
                long backoff = Math.min(cap, base << Math.min(20, attempts[0] - 1));
                long wait = (long) (backoff * (0.5 + ThreadLocalRandom.current().nextDouble() * 0.5));
                if (e instanceof RetriableModelException.RateLimited limited && limited.retryAfter().isPresent()) {
                    wait = Math.max(wait, Math.min(60_000, limited.retryAfter().get().toMillis()));
                }
                try {
                    sleeper.sleep(Duration.ofMillis(wait));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
