package dev.weft.platform.models.internal;

import dev.weft.api.core.Secret;
import dev.weft.platform.store.ModelSettingsRepository;
import dev.weft.spi.model.ProviderConfig;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Where a provider's credentials come from: the workspace's own (kept in the store, their secrets
 * sealed with the instance's key), else the instance's environment ({@code OPENAI_API_KEY},
 * {@code OLLAMA_BASE_URL}, ...).
 */
final class ProviderCredentials {

    /**
     * How long workspace credentials are used as last read: every model call needs them, and
     * reading and decrypting them each time costs more than a call's own bookkeeping. Saving or
     * deleting credentials on this node forgets them at once; another node's change is seen within
     * that time.
     */
    static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int MAX_CACHED = 10_000;

    private final Map<String, String> env;
    private final Supplier<ModelSettingsRepository> store;
    private final Supplier<SecretBox> box;
    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();

    private record Known(ProviderConfig config, long until) {
    }

    ProviderCredentials(Map<String, String> env, Supplier<ModelSettingsRepository> store, Supplier<SecretBox> box) {
        this.env = env;
        this.store = store;
        this.box = box;
    }

    /** The name credentials are kept under: the last part of a Dify id, lower case. */
    static String key(String provider) {
        String id = provider.strip().toLowerCase(Locale.ROOT);
        return id.contains("/") ? id.substring(id.lastIndexOf('/') + 1) : id;
    }

    /** The workspace's credentials for the provider as the app names it, else the instance's; null when neither. */
    ProviderConfig of(String workspaceId, String named, ProviderRoutes.Route vendor) {
        ProviderConfig own = workspace(workspaceId, key(named), vendor);
        return own != null ? own : instance(vendor, named);
    }

    /** The workspace's own credentials for a provider key, or null. */
    ProviderConfig workspace(String workspaceId, String key, ProviderRoutes.Route vendor) {
        String cacheKey = workspaceId + '/' + key + '/' + (vendor == null ? "" : vendor.baseUrl());
        long now = System.nanoTime();
        Known cached = known.get(cacheKey);
        if (cached != null && now - cached.until() < 0) {
            return cached.config();
        }
        ProviderConfig read = read(workspaceId, key, vendor);
        if (known.size() > MAX_CACHED) {
            known.clear();
        }
        known.put(cacheKey, new Known(read, now + CACHE_NANOS));
        return read;
    }

    /** Forgets what was read of a workspace's credentials (they were just changed here). */
    void forget(String workspaceId) {
        known.keySet().removeIf(k -> k.startsWith(workspaceId + '/'));
    }

    /** Whether a workspace keeps credentials of its own for a provider key (read now, not cached). */
    boolean storedFor(String workspaceId, String key) {
        ModelSettingsRepository repository = store.get();
        return repository != null && repository.credential(workspaceId, key).isPresent();
    }

    private ProviderConfig read(String workspaceId, String key, ProviderRoutes.Route vendor) {
        ModelSettingsRepository repository = store.get();
        SecretBox secrets = box.get();
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

    /** The instance's credentials for a vendor, from the environment; null when it has none. */
    ProviderConfig instance(ProviderRoutes.Route vendor, String asNamed) {
        Map<String, Object> settings = new HashMap<>();
        Map<String, Secret> secrets = new HashMap<>();
        String key = vendor.keyVariable() == null ? null : env.get(vendor.keyVariable());
        String base = vendor.baseUrl();
        switch (vendor.provider()) {
            case "openai" -> {
                if (asNamed.toLowerCase(Locale.ROOT).endsWith("azure_openai")) {
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
}
