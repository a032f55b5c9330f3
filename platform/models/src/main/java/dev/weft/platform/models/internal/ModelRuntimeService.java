package dev.weft.platform.models.internal;

import dev.weft.api.core.Secret;
import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelResult;
import dev.weft.api.model.ModelRuntime;
import dev.weft.platform.egress.EgressAllowances;
import dev.weft.api.model.ModelRouting;
import dev.weft.platform.models.ModelAdministration;
import dev.weft.platform.store.ModelSettingsRepository;
import java.util.Optional;
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
@Component(service = {ModelRuntime.class, ModelRouting.class, ModelAdministration.class},
        configurationPid = ModelRuntimeService.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ModelRuntimeService.Config.class)
public final class ModelRuntimeService implements ModelRuntime, ModelRouting, ModelAdministration {

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

        @AttributeDefinition(description = "Calls at once per key of a credential; 0 for no limit (a credential's own max_concurrent setting wins)")
        int credential_max_concurrent() default 0;

        @AttributeDefinition(description = "Calls a minute per key of a credential; 0 for no limit (a credential's own requests_per_minute setting wins)")
        int credential_requests_per_minute() default 0;

        @AttributeDefinition(description = "How long a call waits for a key with room under its limits, in seconds, before it fails as rate limited")
        int credential_wait_seconds() default 60;

        @AttributeDefinition(description = "Fallback chains: 'model -> provider/model, provider/model', or '* -> provider/model' for every model")
        String[] fallbacks() default {};

        @AttributeDefinition(description = "How long a call waits for a provider that went away (its bundle being replaced) to come back, in seconds")
        int provider_wait_seconds() default 10;
    }

    /** Waits between retries; tests replace it. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Where a call goes: a provider, its configuration, the model, and why it went elsewhere. */
    record Target(String provider, ProviderConfig config, String model, List<String> warnings) {
    }

    private final ProviderDirectory providers = new ProviderDirectory();
    private final KeyPool.Registry pools = new KeyPool.Registry();
    private final ParameterRules rules = ParameterRules.load();
    private final Map<String, String> env;
    private volatile Config config;
    private volatile Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());
    private volatile Route route;
    private final List<EgressAllowances.Allowance> allowances = new ArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EgressAllowances egress;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ModelSettingsRepository settings;

    private volatile SecretBox box;

    private record Route(String baseUrl, String apiKey) {
    }

    public ModelRuntimeService() {
        this(System.getenv());
    }

    ModelRuntimeService(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Activate
    void activate(org.osgi.framework.BundleContext bundle, Config config) {
        this.config = config;
        String conf = bundle.getProperty("weft.conf");
        if (conf != null) {
            try {
                box = SecretBox.in(java.nio.file.Path.of(conf));
            } catch (java.io.IOException | RuntimeException e) {
                LOG.error("The key that encrypts model credentials cannot be read or made in {}: {}", conf, e.getMessage());
            }
        }
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

    /** For tests: the store and the key. */
    void storeIn(ModelSettingsRepository repository, SecretBox key) {
        this.settings = repository;
        this.box = key;
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
        providers.add(provider, properties);
    }

    void removeProvider(ModelProvider provider) {
        providers.remove(provider);
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
                    .orElseGet(() -> providers.has(call.provider()) ? new ProviderRoutes.Route(call.provider(), null, null) : null);
            if (vendor == null) {
                warnings.add("the provider '" + call.provider() + "' is not one Weft knows; the default model answers");
            } else {
                ProviderConfig credentials = workspaceConfig(call.workspaceId(), key(call.provider()), vendor);
                if (credentials == null) {
                    credentials = instanceConfig(vendor, call.provider());
                }
                if (credentials == null) {
                    warnings.add("the provider '" + call.provider() + "' has no credentials; the default model answers");
                } else if (!providers.servesOrReturns(vendor.provider(), patience())) {
                    warnings.add("no installed plug-in provides '" + vendor.provider() + "'; the default model answers");
                } else {
                    return new Target(vendor.provider(), credentials, call.model(), warnings);
                }
            }
        }
        Target fallback = workspaceDefault(call.workspaceId(), warnings);
        if (fallback == null) {
            fallback = defaultTarget(warnings);
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

    /** The name credentials are kept under: the last part of a Dify id, lower case. */
    static String key(String provider) {
        String id = provider.strip().toLowerCase(java.util.Locale.ROOT);
        return id.contains("/") ? id.substring(id.lastIndexOf('/') + 1) : id;
    }

    /**
     * Workspace credentials as last read, for {@link #CREDENTIALS_NANOS}: every model call needs
     * them, and reading and decrypting them each time costs more than a call's own bookkeeping.
     * Saving or deleting credentials here forgets them at once; another node's change is seen
     * within that time.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, KnownConfig> knownConfigs =
            new java.util.concurrent.ConcurrentHashMap<>();
    static final long CREDENTIALS_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    private record KnownConfig(ProviderConfig config, long until) {
    }

    /** The workspace's own credentials for a provider key, or null. */
    private ProviderConfig workspaceConfig(String workspaceId, String key, ProviderRoutes.Route vendor) {
        String cacheKey = workspaceId + '/' + key + '/' + (vendor == null ? "" : vendor.baseUrl());
        long now = System.nanoTime();
        KnownConfig known = knownConfigs.get(cacheKey);
        if (known != null && now - known.until() < 0) {
            return known.config();
        }
        ProviderConfig read = readWorkspaceConfig(workspaceId, key, vendor);
        if (knownConfigs.size() > 10_000) {
            knownConfigs.clear();
        }
        knownConfigs.put(cacheKey, new KnownConfig(read, now + CREDENTIALS_NANOS));
        return read;
    }

    private void forgetConfigs(String workspaceId) {
        knownConfigs.keySet().removeIf(k -> k.startsWith(workspaceId + '/'));
    }

    private ProviderConfig readWorkspaceConfig(String workspaceId, String key, ProviderRoutes.Route vendor) {
        ModelSettingsRepository repository = settings;
        SecretBox secrets = box;
        if (repository == null || secrets == null) {
            return null;
        }
        Optional<ModelSettingsRepository.Credential> stored;
        try {
            stored = repository.credential(workspaceId, key);
        } catch (RuntimeException e) {
            return null;
        }
        if (stored.isEmpty()) {
            return null;
        }
        Map<String, Object> plain = new HashMap<>(Json.object(stored.get().settingsJson()));
        Map<String, Secret> hidden = new HashMap<>();
        Json.object(secrets.open(stored.get().encryptedSecrets()))
                .forEach((name, value) -> hidden.put(name, Secret.of(String.valueOf(value))));
        if (!plain.containsKey("base_url") && vendor != null && vendor.baseUrl() != null) {
            plain.put("base_url", vendor.baseUrl());
        }
        return new ProviderConfig(plain, hidden);
    }

    /** The workspace's default chat model, when it set one and can use it. */
    private Target workspaceDefault(String workspaceId, List<String> warnings) {
        return workspaceDefault(workspaceId, dev.weft.spi.model.ModelType.CHAT, warnings);
    }

    /** The workspace's default model of a type, when it set one and can use it. */
    private Target workspaceDefault(String workspaceId, dev.weft.spi.model.ModelType type, List<String> warnings) {
        ModelSettingsRepository repository = settings;
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
        ProviderConfig credentials = workspaceConfig(workspaceId, key(chosen.get().provider()), vendor);
        if (credentials == null) {
            credentials = instanceConfig(vendor, chosen.get().provider());
        }
        if (credentials == null || !providers.has(vendor.provider())) {
            return null;
        }
        return new Target(vendor.provider(), credentials, chosen.get().model(), warnings);
    }

    private Target defaultTarget(List<String> warnings) {
        Config settings = config;
        if (settings != null && !settings.default_provider().isBlank() && !settings.default_model().isBlank()) {
            ProviderRoutes.Route vendor = ProviderRoutes.of(settings.default_provider())
                    .orElse(new ProviderRoutes.Route(settings.default_provider(), null, null));
            ProviderConfig credentials = instanceConfig(vendor, settings.default_provider());
            if (credentials != null && providers.has(vendor.provider())) {
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
            if (credentials != null && providers.has(vendor.provider())) {
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
                if (asNamed.toLowerCase(java.util.Locale.ROOT).endsWith("azure_openai")) {
                    base = env.get("AZURE_OPENAI_ENDPOINT");
                    if (key == null || base == null) {
                        return null;
                    }
                    settings.put("api_type", "azure");
                    if (env.get("AZURE_OPENAI_API_VERSION") != null) {
                        settings.put("api_version", env.get("AZURE_OPENAI_API_VERSION"));
                    }
                }
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
    public ModelResult chat(ModelCall call, ChatRequest asked) throws ModelException {
        Target first = target(call);
        List<String> warnings = new ArrayList<>(first.warnings());
        ChatRequest request = checkParameters(call, first, asked, warnings);
        int[] attempts = {0};
        ModelException failure = null;
        for (Target target : chain(call, first)) {
            long started = System.nanoTime();
            try {
                ChatResponse response = onTarget(target, attempts, () -> false,
                        (provider, config) -> provider.chatModel(config, target.model()).chat(request));
                account(call, target, "llm", response.usage(), started, "succeeded", null);
                return new ModelResult(response, target.provider(), target.model(), warnings, attempts[0]);
            } catch (ModelException e) {
                account(call, target, "llm", null, started, "failed", e.getMessage());
                if (!fallsBack(e)) {
                    throw e;
                }
                failure = e;
                warnings.add(fellBack(target, e));
            }
        }
        throw failure;
    }

    @Override
    public ModelResult stream(ModelCall call, ChatRequest asked, Consumer<ChatEvent> sink) throws ModelException {
        Target first = target(call);
        List<String> warnings = new ArrayList<>(first.warnings());
        ChatRequest request = checkParameters(call, first, asked, warnings);
        AtomicBoolean delivered = new AtomicBoolean();
        int[] attempts = {0};
        ModelException failure = null;
        for (Target target : chain(call, first)) {
            ChatResponse[] whole = new ChatResponse[1];
            long started = System.nanoTime();
            try {
                onTarget(target, attempts, delivered::get, (provider, config) -> {
                    provider.chatModel(config, target.model()).stream(request, event -> {
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
            } catch (ModelException e) {
                account(call, target, "llm", null, started, "failed", e.getMessage());
                // once a piece reached the caller, another model cannot take over the answer
                if (delivered.get() || !fallsBack(e)) {
                    throw e;
                }
                failure = e;
                warnings.add(fellBack(target, e));
                continue;
            }
            account(call, target, "llm", whole[0].usage(), started, "succeeded", null);
            return new ModelResult(whole[0], target.provider(), target.model(), warnings, attempts[0]);
        }
        throw failure;
    }

    /**
     * Fits the parameters to the model before any call, by the rules of the vendor the app named (its
     * parameters were written for that vendor) and the model that answers: what the model does not
     * take is left out with a warning, a value out of range fails the call. Fallbacks get the same
     * parameters; their providers leave out what they lack.
     */
    private ChatRequest checkParameters(ModelCall call, Target target, ChatRequest request, List<String> warnings)
            throws ModelException {
        String vendor = ProviderRoutes.of(call.provider()).map(ProviderRoutes.Route::provider).orElse(target.provider());
        ParameterRules.Applied applied = rules.apply(vendor, target.model(), request.parameters());
        if (applied.leftOut().isEmpty()) {
            return request;
        }
        warnings.add(String.join(", ", applied.leftOut()) + (applied.leftOut().size() == 1 ? " is" : " are")
                + " not taken by " + vendor + "/" + target.model() + " and " + (applied.leftOut().size() == 1 ? "was" : "were")
                + " left out");
        return new ChatRequest(request.messages(), request.tools(), request.toolChoice(), applied.parameters(),
                request.responseFormat(), request.user());
    }

    @Override
    public List<Map<String, Object>> parameterRules(String provider, String model) {
        String vendor = ProviderRoutes.of(provider).map(ProviderRoutes.Route::provider).orElse(key(provider));
        List<Map<String, Object>> out = new ArrayList<>();
        for (ParameterRules.Rule rule : rules.rules(vendor, model)) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", rule.name());
            item.put("label", Map.of("en_US", rule.label()));
            item.put("type", rule.type());
            item.put("help", Map.of("en_US", rule.help()));
            item.put("required", rule.required());
            item.put("default", rule.defaultValue());
            item.put("min", rule.min());
            item.put("max", rule.max());
            item.put("precision", rule.precision());
            item.put("options", rule.options());
            out.add(item);
        }
        return out;
    }

    /** Reads one model call given a provider and a configuration with one key. */
    @FunctionalInterface
    interface KeyedAttempt<T> {
        T run(ModelProvider provider, ProviderConfig config) throws ModelException;
    }

    /**
     * One call on one target: a key of its credential taken within the key's limits, the call
     * retried while its failure may pass, and moved at once to another key of the credential when
     * the vendor refused or limited this one.
     */
    <T> T onTarget(Target target, int[] attempts, java.util.function.BooleanSupplier delivered, KeyedAttempt<T> attempt)
            throws ModelException {
        ModelProvider provider = provider(target);
        KeyPool pool = pools.of(target.provider(), target.config(), limits().over(target.config()));
        return retrying(attempts, delivered, () -> {
            while (true) {
                try (KeyPool.Lease lease = pool.acquire(keyPatience())) {
                    try {
                        return attempt.run(provider, lease.config());
                    } catch (ModelException e) {
                        lease.failed(e);
                        boolean keyBound = e instanceof RetriableModelException.RateLimited
                                || e instanceof NonRetriableModelException.AuthenticationFailed
                                || e instanceof NonRetriableModelException.QuotaExceeded;
                        if (keyBound && !delivered.getAsBoolean() && lease.othersAvailable()) {
                            continue;
                        }
                        throw e;
                    }
                }
            }
        });
    }

    /** Failures another model may not share: the vendor is down, limited, refuses the key or lacks the model. */
    static boolean fallsBack(ModelException e) {
        return e.isRetriable() || e instanceof NonRetriableModelException.ModelNotFound
                || e instanceof NonRetriableModelException.AuthenticationFailed
                || e instanceof NonRetriableModelException.QuotaExceeded;
    }

    private static String fellBack(Target target, ModelException e) {
        return target.provider() + "/" + target.model() + " failed (" + e.code() + "); the next model of the fallback chain answers";
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
        Config settings = config;
        if (settings == null || settings.fallbacks() == null) {
            return chain;
        }
        List<String> next = fallbackChains(settings).next(first.provider(), first.model());
        for (String entry : next) {
            int slash = entry.indexOf('/');
            String providerId = entry.substring(0, slash);
            String model = entry.substring(slash + 1);
            ProviderRoutes.Route vendor = ProviderRoutes.of(providerId).orElse(new ProviderRoutes.Route(providerId, null, null));
            ProviderConfig credentials = workspaceConfig(call.workspaceId(), key(providerId), vendor);
            if (credentials == null) {
                credentials = instanceConfig(vendor, providerId);
            }
            if (credentials != null && providers.has(vendor.provider())
                    && !(vendor.provider().equals(first.provider()) && model.equals(first.model()))) {
                chain.add(new Target(vendor.provider(), credentials, model, List.of()));
            }
        }
        return chain;
    }

    private record ParsedChains(String[] source, FallbackChains chains) {
    }

    private volatile ParsedChains parsedChains;

    /** The configured chains, parsed once per configuration; a configuration that does not parse is logged and has none. */
    private FallbackChains fallbackChains(Config settings) {
        ParsedChains parsed = parsedChains;
        if (parsed == null || parsed.source() != settings.fallbacks()) {
            FallbackChains chains;
            try {
                chains = FallbackChains.parse(settings.fallbacks());
            } catch (IllegalArgumentException e) {
                LOG.error("The fallback chains of {} are ignored: {}", PID, e.getMessage());
                chains = FallbackChains.parse(new String[0]);
            }
            parsed = new ParsedChains(settings.fallbacks(), chains);
            parsedChains = parsed;
        }
        return parsed.chains();
    }

    private KeyPool.Limits limits() {
        Config settings = config;
        return settings == null ? KeyPool.Limits.NONE
                : new KeyPool.Limits(Math.max(0, settings.credential_max_concurrent()), Math.max(0, settings.credential_requests_per_minute()));
    }

    private Duration keyPatience() {
        Config settings = config;
        return Duration.ofSeconds(settings == null ? 60 : Math.max(0, settings.credential_wait_seconds()));
    }

    /** The default embedding model of a fresh install: in the process, offline, nothing to configure. */
    static final String LOCAL_PROVIDER = "local";
    static final String LOCAL_EMBEDDING = "bge-small-en-v1.5";

    @Override
    public EmbeddingResponse embed(ModelCall call, EmbeddingRequest request) throws ModelException {
        Target target = typedTarget(call, dev.weft.spi.model.ModelType.EMBEDDING);
        long started = System.nanoTime();
        try {
            EmbeddingResponse response = onTarget(target, new int[1], () -> false,
                    (provider, config) -> provider.embeddingModel(config, target.model()).embed(request));
            account(call, target, "text-embedding", response.usage(), started, "succeeded", null);
            return response;
        } catch (ModelException e) {
            account(call, target, "text-embedding", null, started, "failed", e.getMessage());
            throw e;
        }
    }

    @Override
    public dev.weft.spi.model.RerankResponse rerank(ModelCall call, dev.weft.spi.model.RerankRequest request) throws ModelException {
        Target target = typedTarget(call, dev.weft.spi.model.ModelType.RERANK);
        long started = System.nanoTime();
        try {
            dev.weft.spi.model.RerankResponse response = onTarget(target, new int[1], () -> false,
                    (provider, config) -> provider.rerankModel(config, target.model()).rerank(request));
            account(call, target, "rerank", response.usage(), started, "succeeded", null);
            return response;
        } catch (ModelException e) {
            account(call, target, "rerank", null, started, "failed", e.getMessage());
            throw e;
        }
    }

    /**
     * Where an embedding or rerank call goes: the model it names, with the workspace's or the
     * instance's credentials; else the workspace's default model of that type; else, for
     * embeddings, the local model that needs nothing configured.
     */
    Target typedTarget(ModelCall call, dev.weft.spi.model.ModelType type) throws ModelException {
        List<String> warnings = new ArrayList<>();
        String what = type == dev.weft.spi.model.ModelType.RERANK ? "rerank" : "embedding";
        // the workspace's default is looked up once: embeddings of an ingestion come here for every batch
        Target byDefault = call.provider().isBlank() ? workspaceDefault(call.workspaceId(), type, warnings) : null;
        if (call.provider().equals(LOCAL_PROVIDER) || call.provider().isBlank() && type == dev.weft.spi.model.ModelType.EMBEDDING
                && byDefault == null) {
            if (!providers.has(LOCAL_PROVIDER)) {
                throw new NonRetriableModelException.InvalidRequest("no " + what + " model was named or set as the"
                        + " workspace's default, and the local one (the weft-provider-local bundle) is not installed");
            }
            return new Target(LOCAL_PROVIDER, new ProviderConfig(Map.of(), Map.of()),
                    call.model().isBlank() ? LOCAL_EMBEDDING : call.model(), List.of());
        }
        if (!call.provider().isBlank()) {
            ProviderRoutes.Route vendor = ProviderRoutes.of(call.provider())
                    .orElseGet(() -> providers.has(call.provider()) ? new ProviderRoutes.Route(call.provider(), null, null) : null);
            if (vendor != null) {
                ProviderConfig credentials = workspaceConfig(call.workspaceId(), key(call.provider()), vendor);
                if (credentials == null) {
                    credentials = instanceConfig(vendor, call.provider());
                }
                if (credentials != null && providers.servesOrReturns(vendor.provider(), patience())) {
                    return new Target(vendor.provider(), credentials, call.model(), warnings);
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

    /** How long a call waits for a provider being replaced. */
    private Duration patience() {
        Config settings = config;
        return Duration.ofSeconds(settings == null ? 10 : Math.max(0, settings.provider_wait_seconds()));
    }

    private ModelProvider provider(Target target) throws ModelException {
        ModelProvider provider;
        try {
            provider = providers.await(target.provider(), patience());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableModelException.Unavailable("interrupted while waiting for the provider '" + target.provider() + "'", e);
        }
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

    // ---- administration (the console's) ----

    @Override
    public List<Provider> providers(String workspaceId) {
        Map<String, Provider> out = new java.util.TreeMap<>();
        for (ModelProvider provider : providers.all()) {
            var d = provider.descriptor();
            out.put(d.id(), new Provider(d.id(), d.id(), d.title(), d.configSchema(),
                    d.modelTypes().stream().map(dev.weft.spi.model.ModelType::wireName).sorted().toList(),
                    credentialSource(workspaceId, d.id()), true));
        }
        for (String vendor : ProviderRoutes.vendors()) {
            ProviderRoutes.Route route = ProviderRoutes.of(vendor).orElseThrow();
            if (!out.containsKey(vendor)) {
                ModelProvider serving = providers.get(route.provider());
                Map<String, Object> schema = serving == null ? Map.of() : serving.descriptor().configSchema();
                out.put(vendor, new Provider(vendor, route.provider(), vendor, schema,
                        serving == null ? List.of() : serving.descriptor().modelTypes().stream()
                                .map(dev.weft.spi.model.ModelType::wireName).sorted().toList(),
                        credentialSource(workspaceId, vendor), serving != null));
            }
        }
        return List.copyOf(out.values());
    }

    private String credentialSource(String workspaceId, String key) {
        ModelSettingsRepository repository = settings;
        if (repository != null && repository.credential(workspaceId, key).isPresent()) {
            return "workspace";
        }
        ProviderRoutes.Route vendor = ProviderRoutes.of(key).orElse(new ProviderRoutes.Route(key, null, null));
        return instanceConfig(vendor, key) != null || key.equals(LOCAL_PROVIDER) ? "instance" : "none";
    }

    @Override
    public void saveCredentials(String workspaceId, String provider, Map<String, Object> values) throws ModelException {
        String key = key(provider);
        ProviderRoutes.Route vendor = ProviderRoutes.of(key).orElse(providers.has(key)
                ? new ProviderRoutes.Route(key, null, null) : null);
        if (vendor == null) {
            throw new IllegalArgumentException("unknown provider " + provider);
        }
        ModelProvider serving = providers.get(vendor.provider());
        if (serving == null) {
            throw new IllegalArgumentException("no installed plug-in provides " + vendor.provider());
        }
        ModelSettingsRepository repository = requireStore();
        java.util.Set<String> secretNames = secretFields(serving.descriptor().configSchema());
        Map<String, Object> plain = new java.util.LinkedHashMap<>();
        Map<String, Object> hidden = new java.util.LinkedHashMap<>();
        ProviderConfig previous = workspaceConfig(workspaceId, key, vendor);
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            if (secretNames.contains(entry.getKey())) {
                String sent = String.valueOf(entry.getValue());
                // a secret sent back as it was shown keeps its stored value
                boolean unchanged = previous != null
                        && previous.secret(entry.getKey()).map(s -> s.masked().equals(sent)).orElse(false);
                hidden.put(entry.getKey(), unchanged ? previous.secret(entry.getKey()).get().reveal() : sent);
            } else {
                plain.put(entry.getKey(), entry.getValue());
            }
        }
        Map<String, Object> settingsForCall = new HashMap<>(plain);
        if (!settingsForCall.containsKey("base_url") && vendor.baseUrl() != null) {
            settingsForCall.put("base_url", vendor.baseUrl());
        }
        Map<String, Secret> secretsForCall = new HashMap<>();
        hidden.forEach((name, value) -> secretsForCall.put(name, Secret.of(String.valueOf(value))));
        ProviderConfig candidate = new ProviderConfig(settingsForCall, secretsForCall);
        List<String> keys = KeyPool.keys(candidate);
        if (keys.size() <= 1) {
            serving.verify(candidate);
        } else {
            // several keys for load balancing: each must work on its own
            for (int i = 0; i < keys.size(); i++) {
                Map<String, Secret> one = new HashMap<>(secretsForCall);
                one.put("api_key", Secret.of(keys.get(i)));
                try {
                    serving.verify(new ProviderConfig(settingsForCall, one));
                } catch (ModelException e) {
                    throw withKeyNumber(e, i + 1);
                }
            }
        }
        repository.saveCredential(new ModelSettingsRepository.Credential(workspaceId, key, Json.write(plain),
                requireBox().seal(Json.write(hidden)), null, null));
        forgetConfigs(workspaceId);
    }

    /** The same failure, saying which of several keys it was (never the key itself). */
    private static ModelException withKeyNumber(ModelException e, int number) {
        String message = "key " + number + ": " + e.getMessage();
        return switch (e) {
            case NonRetriableModelException.AuthenticationFailed x -> new NonRetriableModelException.AuthenticationFailed(message);
            case NonRetriableModelException.QuotaExceeded x -> new NonRetriableModelException.QuotaExceeded(message);
            case NonRetriableModelException.ModelNotFound x -> new NonRetriableModelException.ModelNotFound(message);
            case NonRetriableModelException.ContentFiltered x -> new NonRetriableModelException.ContentFiltered(message);
            case NonRetriableModelException.InvalidRequest x -> new NonRetriableModelException.InvalidRequest(message);
            case RetriableModelException.RateLimited x -> new RetriableModelException.RateLimited(message, x.retryAfter().orElse(null));
            case RetriableModelException.Timeout x -> new RetriableModelException.Timeout(message, e);
            case RetriableModelException.Unavailable x -> new RetriableModelException.Unavailable(message, e);
        };
    }

    private static java.util.Set<String> secretFields(Map<String, Object> schema) {
        java.util.Set<String> names = new java.util.HashSet<>(java.util.Set.of("api_key"));
        if (schema.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((name, property) -> {
                if (property instanceof Map<?, ?> p && Boolean.TRUE.equals(p.get("secret"))) {
                    names.add(String.valueOf(name));
                }
            });
        }
        return names;
    }

    @Override
    public Optional<Map<String, Object>> credentials(String workspaceId, String provider) {
        String key = key(provider);
        ProviderConfig config = workspaceConfig(workspaceId, key, ProviderRoutes.of(key).orElse(null));
        if (config == null) {
            return Optional.empty();
        }
        Map<String, Object> shown = new java.util.LinkedHashMap<>(config.settings());
        config.secrets().forEach((name, secret) -> shown.put(name, secret.masked()));
        return Optional.of(shown);
    }

    @Override
    public boolean deleteCredentials(String workspaceId, String provider) {
        boolean deleted = requireStore().deleteCredential(workspaceId, key(provider));
        forgetConfigs(workspaceId);
        return deleted;
    }

    @Override
    public List<dev.weft.spi.model.ModelInfo> models(String workspaceId, String provider) throws ModelException {
        String key = key(provider);
        ProviderRoutes.Route vendor = ProviderRoutes.of(key).orElse(new ProviderRoutes.Route(key, null, null));
        ModelProvider serving = providers.get(vendor.provider());
        if (serving == null) {
            throw new NonRetriableModelException.InvalidRequest("no installed plug-in provides " + vendor.provider());
        }
        ProviderConfig config = workspaceConfig(workspaceId, key, vendor);
        if (config == null) {
            config = key.equals(LOCAL_PROVIDER) ? new ProviderConfig(Map.of(), Map.of()) : instanceConfig(vendor, key);
        }
        if (config == null) {
            throw new NonRetriableModelException.InvalidRequest("the provider " + provider + " has no credentials");
        }
        return serving.models(config);
    }

    @Override
    public void setDefaultModel(String workspaceId, dev.weft.spi.model.ModelType type, String provider, String model) {
        requireStore().saveDefault(new ModelSettingsRepository.DefaultModel(workspaceId, type.wireName(), key(provider), model));
    }

    @Override
    public Optional<ModelSettingsRepository.DefaultModel> defaultModel(String workspaceId, dev.weft.spi.model.ModelType type) {
        return requireStore().defaultModel(workspaceId, type.wireName());
    }

    @Override
    public void setPrice(String provider, String model, java.math.BigDecimal inputPerMillion,
            java.math.BigDecimal outputPerMillion, String currency) {
        requireStore().savePrice(new ModelSettingsRepository.Price(key(provider), model, inputPerMillion, outputPerMillion,
                currency == null || currency.isBlank() ? "USD" : currency));
    }

    @Override
    public List<ModelSettingsRepository.UsageTotal> usage(String workspaceId, java.time.Instant since) {
        return requireStore().usage(workspaceId, since);
    }

    private ModelSettingsRepository requireStore() {
        ModelSettingsRepository repository = settings;
        if (repository == null) {
            throw new IllegalStateException("the store is not ready");
        }
        return repository;
    }

    private SecretBox requireBox() {
        SecretBox secrets = box;
        if (secrets == null) {
            throw new IllegalStateException("the key that encrypts credentials is not available");
        }
        return secrets;
    }

    /** Records a call in the accounts, off the caller's thread; a failure to record never fails the call. */
    private void account(ModelCall call, Target target, String type, dev.weft.spi.model.Usage usage, long started,
            String status, String error) {
        ModelSettingsRepository repository = settings;
        if (repository == null) {
            return;
        }
        long latency = (System.nanoTime() - started) / 1_000_000;
        Thread.ofVirtual().name("weft-model-usage").start(() -> {
            try {
                java.math.BigDecimal price = java.math.BigDecimal.ZERO;
                String currency = "USD";
                Optional<ModelSettingsRepository.Price> table = repository.price(key(target.provider()), target.model());
                if (table.isPresent() && usage != null) {
                    price = table.get().inputPerMillion().multiply(java.math.BigDecimal.valueOf(usage.promptTokens()))
                            .add(table.get().outputPerMillion().multiply(java.math.BigDecimal.valueOf(usage.completionTokens())))
                            .divide(java.math.BigDecimal.valueOf(1_000_000), 10, java.math.RoundingMode.HALF_UP);
                    currency = table.get().currency();
                }
                repository.recordUsage(new ModelSettingsRepository.Usage(call.workspaceId(), call.runId(), call.nodeId(),
                        target.provider(), target.model(), type, usage == null ? 0 : usage.promptTokens(),
                        usage == null ? 0 : usage.completionTokens(), price, currency, latency, status, error,
                        java.time.Instant.now()));
            } catch (RuntimeException e) {
                LOG.debug("A model call could not be recorded: {}", e.getMessage());
            }
        });
    }
}
