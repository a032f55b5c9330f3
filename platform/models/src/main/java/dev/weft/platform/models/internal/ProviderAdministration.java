package dev.weft.platform.models.internal;

import dev.weft.api.core.Secret;
import dev.weft.platform.models.ModelAdministration;
import dev.weft.platform.store.ModelSettingsRepository;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ModelInfo;
import dev.weft.spi.model.ModelProvider;
import dev.weft.spi.model.ModelType;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.RetriableModelException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The console's side of the model runtime: which providers there are and where their credentials
 * come from; a workspace's credentials checked against the vendor before they are kept (sealed);
 * default models, prices and usage.
 */
final class ProviderAdministration {

    private final ProviderDirectory providers;
    private final ProviderCredentials credentials;
    private final Supplier<ModelSettingsRepository> store;
    private final Supplier<SecretBox> box;

    ProviderAdministration(ProviderDirectory providers, ProviderCredentials credentials,
            Supplier<ModelSettingsRepository> store, Supplier<SecretBox> box) {
        this.providers = providers;
        this.credentials = credentials;
        this.store = store;
        this.box = box;
    }

    List<ModelAdministration.Provider> providers(String workspaceId) {
        Map<String, ModelAdministration.Provider> out = new TreeMap<>();
        for (ModelProvider provider : providers.all()) {
            var d = provider.descriptor();
            out.put(d.id(), new ModelAdministration.Provider(d.id(), d.id(), d.title(), d.configSchema(),
                    d.modelTypes().stream().map(ModelType::wireName).sorted().toList(),
                    credentialSource(workspaceId, d.id()), true));
        }
        for (String vendor : ProviderRoutes.vendors()) {
            ProviderRoutes.Route route = ProviderRoutes.of(vendor).orElseThrow();
            if (!out.containsKey(vendor)) {
                ModelProvider serving = providers.get(route.provider());
                Map<String, Object> schema = serving == null ? Map.of() : serving.descriptor().configSchema();
                out.put(vendor, new ModelAdministration.Provider(vendor, route.provider(), vendor, schema,
                        serving == null ? List.of() : serving.descriptor().modelTypes().stream()
                                .map(ModelType::wireName).sorted().toList(),
                        credentialSource(workspaceId, vendor), serving != null));
            }
        }
        return List.copyOf(out.values());
    }

    private String credentialSource(String workspaceId, String key) {
        if (credentials.storedFor(workspaceId, key)) {
            return "workspace";
        }
        ProviderRoutes.Route vendor = ProviderRoutes.of(key).orElse(new ProviderRoutes.Route(key, null, null));
        return credentials.instance(vendor, key) != null || key.equals(ModelTargets.LOCAL_PROVIDER) ? "instance" : "none";
    }

    /**
     * Keeps a workspace's credentials for a provider once the vendor accepted them (each key on its
     * own when there are several); a secret sent back as it was shown (masked) keeps its value.
     */
    void saveCredentials(String workspaceId, String provider, Map<String, Object> values) throws ModelException {
        String key = ProviderCredentials.key(provider);
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
        Set<String> secretNames = secretFields(serving.descriptor().configSchema());
        Map<String, Object> plain = new LinkedHashMap<>();
        Map<String, Object> hidden = new LinkedHashMap<>();
        ProviderConfig previous = credentials.workspace(workspaceId, key, vendor);
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            if (secretNames.contains(entry.getKey())) {
                String sent = String.valueOf(entry.getValue());
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
        credentials.forget(workspaceId);
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

    private static Set<String> secretFields(Map<String, Object> schema) {
        Set<String> names = new HashSet<>(Set.of("api_key"));
        if (schema.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((name, property) -> {
                if (property instanceof Map<?, ?> p && Boolean.TRUE.equals(p.get("secret"))) {
                    names.add(String.valueOf(name));
                }
            });
        }
        return names;
    }

    /** A workspace's credentials as the console shows them: settings, and secrets masked. */
    Optional<Map<String, Object>> credentials(String workspaceId, String provider) {
        String key = ProviderCredentials.key(provider);
        ProviderConfig config = credentials.workspace(workspaceId, key, ProviderRoutes.of(key).orElse(null));
        if (config == null) {
            return Optional.empty();
        }
        Map<String, Object> shown = new LinkedHashMap<>(config.settings());
        config.secrets().forEach((name, secret) -> shown.put(name, secret.masked()));
        return Optional.of(shown);
    }

    boolean deleteCredentials(String workspaceId, String provider) {
        boolean deleted = requireStore().deleteCredential(workspaceId, ProviderCredentials.key(provider));
        credentials.forget(workspaceId);
        return deleted;
    }

    List<ModelInfo> models(String workspaceId, String provider) throws ModelException {
        String key = ProviderCredentials.key(provider);
        ProviderRoutes.Route vendor = ProviderRoutes.of(key).orElse(new ProviderRoutes.Route(key, null, null));
        ModelProvider serving = providers.get(vendor.provider());
        if (serving == null) {
            throw new NonRetriableModelException.InvalidRequest("no installed plug-in provides " + vendor.provider());
        }
        ProviderConfig config = credentials.workspace(workspaceId, key, vendor);
        if (config == null) {
            config = key.equals(ModelTargets.LOCAL_PROVIDER) ? new ProviderConfig(Map.of(), Map.of())
                    : credentials.instance(vendor, key);
        }
        if (config == null) {
            throw new NonRetriableModelException.InvalidRequest("the provider " + provider + " has no credentials");
        }
        return serving.models(config);
    }

    void setDefaultModel(String workspaceId, ModelType type, String provider, String model) {
        requireStore().saveDefault(new ModelSettingsRepository.DefaultModel(workspaceId, type.wireName(),
                ProviderCredentials.key(provider), model));
    }

    Optional<ModelSettingsRepository.DefaultModel> defaultModel(String workspaceId, ModelType type) {
        return requireStore().defaultModel(workspaceId, type.wireName());
    }

    void setPrice(String provider, String model, BigDecimal inputPerMillion, BigDecimal outputPerMillion, String currency) {
        requireStore().savePrice(new ModelSettingsRepository.Price(ProviderCredentials.key(provider), model, inputPerMillion,
                outputPerMillion, currency == null || currency.isBlank() ? "USD" : currency));
    }

    List<ModelSettingsRepository.UsageTotal> usage(String workspaceId, Instant since) {
        return requireStore().usage(workspaceId, since);
    }

    private ModelSettingsRepository requireStore() {
        ModelSettingsRepository repository = store.get();
        if (repository == null) {
            throw new IllegalStateException("the store is not ready");
        }
        return repository;
    }

    private SecretBox requireBox() {
        SecretBox secrets = box.get();
        if (secrets == null) {
            throw new IllegalStateException("the key that encrypts credentials is not available");
        }
        return secrets;
    }
}
