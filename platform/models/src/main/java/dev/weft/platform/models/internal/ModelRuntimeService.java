package dev.weft.platform.models.internal;

import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelResult;
import dev.weft.api.model.ModelRuntime;
import dev.weft.platform.egress.EgressAllowances;
import dev.weft.api.model.ModelRouting;
import dev.weft.platform.models.ModelAdministration;
import dev.weft.platform.store.ModelSettingsRepository;
import java.util.Optional;
import dev.weft.spi.model.ChatEvent;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
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
 *
 * <p>Its parts: {@link ModelTargets} decides where a call goes, {@link ProviderCredentials} finds
 * the credentials, {@link KeyPool} shares a credential's keys within their limits,
 * {@link UsageLedger} records each call, and {@link ProviderAdministration} is the console's side.
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

    private final ProviderDirectory providers = new ProviderDirectory();
    private final KeyPool.Registry pools = new KeyPool.Registry();
    private final ParameterRules rules = ParameterRules.load();
    private final Map<String, String> env;
    private volatile Config config;
    private volatile Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());
    private final List<EgressAllowances.Allowance> allowances = new ArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EgressAllowances egress;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ModelSettingsRepository settings;

    private volatile SecretBox box;

    private final ProviderCredentials credentials;
    private final ModelTargets targets;
    private final ProviderAdministration administration;
    private final UsageLedger ledger = new UsageLedger(() -> settings);

    public ModelRuntimeService() {
        this(System.getenv());
    }

    ModelRuntimeService(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.credentials = new ProviderCredentials(this.env, () -> settings, () -> box);
        this.targets = new ModelTargets(providers, credentials, () -> config, () -> settings);
        this.administration = new ProviderAdministration(providers, credentials, () -> settings, () -> box);
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
        ModelTargets.Route next = new ModelTargets.Route(baseUrl.strip(), apiKey == null || apiKey.isBlank() ? "weft" : apiKey);
        EgressAllowances guard = egress;
        EgressAllowances.Allowance allowance = guard == null ? null : guard.allow(next.baseUrl(), "--model-base-url");
        targets.route(next);
        return () -> {
            targets.clear(next);
            if (allowance != null) {
                allowance.close();
            }
        };
    }

    @Override
    public ModelResult chat(ModelCall call, ChatRequest asked) throws ModelException {
        Target first = targets.chat(call);
        List<String> warnings = new ArrayList<>(first.warnings());
        ChatRequest request = checkParameters(call, first, asked, warnings);
        int[] attempts = {0};
        ModelException failure = null;
        for (Target target : targets.chain(call, first)) {
            long started = System.nanoTime();
            try {
                ChatResponse response = onTarget(target, attempts, () -> false,
                        (provider, config) -> provider.chatModel(config, target.model()).chat(request));
                ledger.record(call, target, "llm", response.usage(), started, "succeeded", null);
                return new ModelResult(response, target.provider(), target.model(), warnings, attempts[0]);
            } catch (ModelException e) {
                ledger.record(call, target, "llm", null, started, "failed", e.getMessage());
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
        Target first = targets.chat(call);
        List<String> warnings = new ArrayList<>(first.warnings());
        ChatRequest request = checkParameters(call, first, asked, warnings);
        AtomicBoolean delivered = new AtomicBoolean();
        int[] attempts = {0};
        ModelException failure = null;
        for (Target target : targets.chain(call, first)) {
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
                ledger.record(call, target, "llm", null, started, "failed", e.getMessage());
                // once a piece reached the caller, another model cannot take over the answer
                if (delivered.get() || !fallsBack(e)) {
                    throw e;
                }
                failure = e;
                warnings.add(fellBack(target, e));
                continue;
            }
            ledger.record(call, target, "llm", whole[0].usage(), started, "succeeded", null);
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
        String vendor = ProviderRoutes.of(provider).map(ProviderRoutes.Route::provider).orElse(ProviderCredentials.key(provider));
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

    private KeyPool.Limits limits() {
        Config settings = config;
        return settings == null ? KeyPool.Limits.NONE
                : new KeyPool.Limits(Math.max(0, settings.credential_max_concurrent()), Math.max(0, settings.credential_requests_per_minute()));
    }

    private Duration keyPatience() {
        Config settings = config;
        return Duration.ofSeconds(settings == null ? 60 : Math.max(0, settings.credential_wait_seconds()));
    }

    @Override
    public EmbeddingResponse embed(ModelCall call, EmbeddingRequest request) throws ModelException {
        Target target = targets.typed(call, dev.weft.spi.model.ModelType.EMBEDDING);
        long started = System.nanoTime();
        try {
            EmbeddingResponse response = onTarget(target, new int[1], () -> false,
                    (provider, config) -> provider.embeddingModel(config, target.model()).embed(request));
            ledger.record(call, target, "text-embedding", response.usage(), started, "succeeded", null);
            return response;
        } catch (ModelException e) {
            ledger.record(call, target, "text-embedding", null, started, "failed", e.getMessage());
            throw e;
        }
    }

    @Override
    public dev.weft.spi.model.RerankResponse rerank(ModelCall call, dev.weft.spi.model.RerankRequest request) throws ModelException {
        Target target = targets.typed(call, dev.weft.spi.model.ModelType.RERANK);
        long started = System.nanoTime();
        try {
            dev.weft.spi.model.RerankResponse response = onTarget(target, new int[1], () -> false,
                    (provider, config) -> provider.rerankModel(config, target.model()).rerank(request));
            ledger.record(call, target, "rerank", response.usage(), started, "succeeded", null);
            return response;
        } catch (ModelException e) {
            ledger.record(call, target, "rerank", null, started, "failed", e.getMessage());
            throw e;
        }
    }

    private ModelProvider provider(Target target) throws ModelException {
        ModelProvider provider;
        try {
            provider = providers.await(target.provider(), targets.patience());
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
        return administration.providers(workspaceId);
    }

    @Override
    public void saveCredentials(String workspaceId, String provider, Map<String, Object> values) throws ModelException {
        administration.saveCredentials(workspaceId, provider, values);
    }

    @Override
    public Optional<Map<String, Object>> credentials(String workspaceId, String provider) {
        return administration.credentials(workspaceId, provider);
    }

    @Override
    public boolean deleteCredentials(String workspaceId, String provider) {
        return administration.deleteCredentials(workspaceId, provider);
    }

    @Override
    public List<dev.weft.spi.model.ModelInfo> models(String workspaceId, String provider) throws ModelException {
        return administration.models(workspaceId, provider);
    }

    @Override
    public void setDefaultModel(String workspaceId, dev.weft.spi.model.ModelType type, String provider, String model) {
        administration.setDefaultModel(workspaceId, type, provider, model);
    }

    @Override
    public Optional<ModelSettingsRepository.DefaultModel> defaultModel(String workspaceId, dev.weft.spi.model.ModelType type) {
        return administration.defaultModel(workspaceId, type);
    }

    @Override
    public void setPrice(String provider, String model, java.math.BigDecimal inputPerMillion,
            java.math.BigDecimal outputPerMillion, String currency) {
        administration.setPrice(provider, model, inputPerMillion, outputPerMillion, currency);
    }

    @Override
    public List<ModelSettingsRepository.UsageTotal> usage(String workspaceId, java.time.Instant since) {
        return administration.usage(workspaceId, since);
    }
}
