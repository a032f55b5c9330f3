package dev.weft.platform.security.internal;

import dev.weft.api.core.ValidationException;
import dev.weft.api.core.WeftException;
import dev.weft.platform.security.ApiKey;
import dev.weft.platform.security.ApiKeys;
import dev.weft.platform.security.NewApiKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ApiKeys} on the {@code api_key} table. A key is its kind's prefix and 24 random characters
 * of [A-Za-z0-9] (about 143 bits); the store keeps its SHA-256 and a hint.
 *
 * <p>{@link #verify} serves thousands of calls a second: anything that is not shaped like a key is
 * refused before any lookup, live keys are cached by hash for at most {@value #CACHE_SECONDS}
 * seconds (at most {@value #CACHE_CAPACITY} of them), and a key's use is written to the store at
 * most once a minute. {@link #revoke} takes effect at once in this process. A key that disappears
 * otherwise (its app or workspace deleted, which deletes it by cascade, or a revocation on another
 * node sharing the database) stops working within {@value #CACHE_SECONDS} seconds.
 */
@Component(service = ApiKeys.class)
public final class ApiKeyService implements ApiKeys {

    static final int RANDOM_LENGTH = 24;
    static final int CACHE_CAPACITY = 10_000;
    static final int CACHE_SECONDS = 5;
    /** A key's last_used_at is written at most this often. */
    static final Duration RECORD_USE_EVERY = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyService.class);

    private final SecurityTables tables;
    private final Clock clock;
    private final Secrets secrets;
    private final KeyCache cache;

    @Activate
    public ApiKeyService(@Reference(target = "(weft.store=main)") DataSource dataSource) {
        this(dataSource, Clock.systemUTC(), System::nanoTime, new Secrets());
    }

    ApiKeyService(DataSource dataSource, Clock clock, LongSupplier nanos, Secrets secrets) {
        this.tables = new SecurityTables(dataSource);
        this.clock = clock;
        this.secrets = secrets;
        this.cache = new KeyCache(CACHE_CAPACITY, Duration.ofSeconds(CACHE_SECONDS), nanos);
    }

    @Override
    public NewApiKey create(String workspaceId, String kind, String appId, String createdBy) {
        if (!ApiKey.APP.equals(kind) && !ApiKey.DATASET.equals(kind)) {
            throw ValidationException.of("/kind", "must be app or dataset");
        }
        UUID app = null;
        if (ApiKey.APP.equals(kind)) {
            if (appId == null || appId.isBlank()) {
                throw ValidationException.of("/app_id", "is required for app keys");
            }
            app = SecurityTables.uuid(appId).orElseThrow(ApiKeyService::appNotFound);
        } else if (appId != null) {
            throw ValidationException.of("/app_id", "must be empty for dataset keys");
        }
        UUID workspace = SecurityTables.uuid(workspaceId).orElseThrow(ApiKeyService::workspaceNotFound);
        UUID creator = createdBy == null ? null : SecurityTables.uuid(createdBy).orElse(null);

        String token = kind + "-" + secrets.alphanumeric(RANDOM_LENGTH);
        String hint = kind + "-..." + token.substring(token.length() - 4);
        ApiKey key = new ApiKey(UUID.randomUUID().toString(), workspace.toString(), kind,
                app == null ? null : app.toString(), hint, clock.instant(), null);
        UUID appOfKey = app;
        tables.transaction(c -> {
            if (!tables.workspaceExists(c, workspace)) {
                throw workspaceNotFound();
            }
            if (appOfKey != null && !tables.appInWorkspace(c, appOfKey, workspace)) {
                throw appNotFound();
            }
            tables.insertKey(c, key, Secrets.sha256Hex(token), creator);
            return null;
        });
        return new NewApiKey(key, token);
    }

    @Override
    public List<ApiKey> list(String workspaceId, String kind, String appId) {
        Optional<UUID> workspace = SecurityTables.uuid(workspaceId);
        Optional<UUID> app = appId == null ? Optional.empty() : SecurityTables.uuid(appId);
        if (workspace.isEmpty() || appId != null && app.isEmpty()
                || kind != null && !ApiKey.APP.equals(kind) && !ApiKey.DATASET.equals(kind)) {
            return List.of();
        }
        return tables.read(c -> tables.liveKeys(c, workspace.get(), kind, app.orElse(null)));
    }

    @Override
    public boolean revoke(String workspaceId, String keyId) {
        Optional<UUID> workspace = SecurityTables.uuid(workspaceId);
        Optional<UUID> key = SecurityTables.uuid(keyId);
        if (workspace.isEmpty() || key.isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        Optional<String> revoked = tables.transaction(c -> {
            Optional<String> hash = tables.liveKeyHash(c, workspace.get(), key.get());
            if (hash.isPresent() && tables.revokeKey(c, workspace.get(), key.get(), now)) {
                return hash;
            }
            return Optional.<String>empty();
        });
        revoked.ifPresent(cache::evict);
        return revoked.isPresent();
    }

    @Override
    public Optional<ApiKey> verify(String token) {
        if (!wellFormed(token)) {
            return Optional.empty();
        }
        String hash = Secrets.sha256Hex(token);
        Optional<KeyCache.Entry> cached = cache.get(hash);
        KeyCache.Entry entry;
        if (cached.isPresent()) {
            entry = cached.get();
        } else {
            long generation = cache.generation();
            Optional<ApiKey> stored = tables.read(c -> tables.liveKeyByHash(c, hash));
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            entry = cache.put(hash, stored.get(), generation);
        }
        recordUse(entry);
        return Optional.of(entry.key);
    }

    /** Writes the key's last use, at most once a {@link #RECORD_USE_EVERY} per key and process. */
    private void recordUse(KeyCache.Entry entry) {
        long now = clock.millis();
        long last = entry.lastUseRecordedMillis.get();
        if (now - last < RECORD_USE_EVERY.toMillis() || !entry.lastUseRecordedMillis.compareAndSet(last, now)) {
            return;
        }
        try {
            UUID id = UUID.fromString(entry.key.id());
            Instant at = Instant.ofEpochMilli(now);
            tables.read(c -> {
                tables.touchKey(c, id, at, at.minus(RECORD_USE_EVERY));
                return null;
            });
        } catch (RuntimeException e) {
            // the key was verified; failing to note its use must not fail the request
            LOG.debug("Could not record the use of API key {}: {}", entry.key.id(), e.getMessage());
        }
    }

    /** Whether the token is shaped like a key: {@code (app|dataset)-[A-Za-z0-9]{24}}. */
    static boolean wellFormed(String token) {
        if (token == null) {
            return false;
        }
        int start;
        if (token.startsWith("app-")) {
            start = 4;
        } else if (token.startsWith("dataset-")) {
            start = 8;
        } else {
            return false;
        }
        if (token.length() != start + RANDOM_LENGTH) {
            return false;
        }
        for (int i = start; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    int cachedKeys() {
        return cache.size();
    }

    private static WeftException workspaceNotFound() {
        return new WeftException("workspace_not_found", "no such workspace");
    }

    private static WeftException appNotFound() {
        return new WeftException("app_not_found", "no such app");
    }
}
