package dev.weft.platform.models.internal;

import dev.weft.api.core.Secret;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.RetriableModelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The keys of one credential, and the limits each key is held to.
 *
 * <p>A credential may carry several keys of one provider account or of several (its
 * {@code api_key} holding them one per line, or separated by commas): calls are spread over them
 * round robin. Each key has its own limits: at most so many calls at once, and at most so many
 * calls a minute (a token bucket). A call takes a key that has room; when none has, it waits for
 * one, up to a deadline, then fails as rate limited.
 *
 * <p>When the credential has several keys, a key the vendor rate-limits rests for as long as the
 * vendor asked (or 30 seconds), and a key the vendor refuses (wrong, revoked, out of quota) for ten
 * minutes, so that calls go to the others. A single key never rests: the runtime's retries wait
 * out its Retry-After.
 */
final class KeyPool {

    /** What a credential's keys are held to; 0 for no limit. */
    record Limits(int maxConcurrent, int perMinute) {

        static final Limits NONE = new Limits(0, 0);

        /** The credential's own limits where its settings name them, else these. */
        Limits over(ProviderConfig config) {
            return new Limits(number(config, "max_concurrent", maxConcurrent), number(config, "requests_per_minute", perMinute));
        }

        private static int number(ProviderConfig config, String name, int fallback) {
            Object value = config.settings().get(name);
            if (value instanceof Number n) {
                return Math.max(0, n.intValue());
            }
            if (value instanceof String s && !s.isBlank()) {
                try {
                    return Math.max(0, Integer.parseInt(s.strip()));
                } catch (NumberFormatException e) {
                    return fallback;
                }
            }
            return fallback;
        }
    }

    static final Duration RATE_LIMIT_REST = Duration.ofSeconds(30);
    static final Duration REFUSED_REST = Duration.ofMinutes(10);

    private final String provider;
    private final List<Lane> lanes;
    private final AtomicInteger next = new AtomicInteger();

    private KeyPool(String provider, ProviderConfig config, Limits limits) {
        this.provider = provider;
        List<Lane> all = new ArrayList<>();
        List<String> keys = keys(config);
        for (int i = 0; i < keys.size(); i++) {
            all.add(new Lane(i, single(config, keys.get(i)), limits));
        }
        if (all.isEmpty()) {
            all.add(new Lane(0, config, limits));
        }
        this.lanes = List.copyOf(all);
    }

    /** The pools of the credentials in use, by provider, configuration and limits. */
    static final class Registry {

        private final Map<String, KeyPool> pools = new HashMap<>();

        synchronized KeyPool of(String provider, ProviderConfig config, Limits limits) {
            String identity = provider + '\n' + config.settings() + '\n' + limits + '\n'
                    + config.secret("api_key").map(s -> digest(s.reveal())).orElse("-");
            if (pools.size() > 10_000) {
                // credentials change rarely; this only bounds what stale ones keep
                pools.clear();
            }
            return pools.computeIfAbsent(identity, k -> new KeyPool(provider, config, limits));
        }

        private static String digest(String text) {
            try {
                byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return java.util.HexFormat.of().formatHex(hash);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The separate keys of a credential's {@code api_key}. */
    static List<String> keys(ProviderConfig config) {
        List<String> keys = new ArrayList<>();
        config.secret("api_key").ifPresent(secret -> {
            for (String key : secret.reveal().split("[,\\n\\r]+")) {
                if (!key.isBlank()) {
                    keys.add(key.strip());
                }
            }
        });
        return keys;
    }

    private static ProviderConfig single(ProviderConfig config, String key) {
        Map<String, Secret> secrets = new HashMap<>(config.secrets());
        secrets.put("api_key", Secret.of(key));
        return new ProviderConfig(config.settings(), secrets);
    }

    int size() {
        return lanes.size();
    }

    /**
     * A key with room for one more call, waiting up to {@code patience} for one.
     *
     * @throws RetriableModelException.RateLimited when no key had room in time
     * @throws NonRetriableModelException.AuthenticationFailed when every key was refused lately
     */
    Lease acquire(Duration patience) throws ModelException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            long now = System.nanoTime();
            int start = Math.floorMod(next.getAndIncrement(), lanes.size());
            long soonest = Long.MAX_VALUE;
            boolean allRefused = true;
            for (int i = 0; i < lanes.size(); i++) {
                Lane lane = lanes.get((start + i) % lanes.size());
                if (!lane.refused(now)) {
                    allRefused = false;
                }
                long free = lane.tryTake(now);
                if (free == 0) {
                    return new Lease(lane);
                }
                soonest = Math.min(soonest, free);
            }
            if (allRefused && lanes.size() > 1) {
                throw new NonRetriableModelException.AuthenticationFailed("every key of the " + provider
                        + " credential was refused by the vendor in the last minutes");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new RetriableModelException.RateLimited("every key of the " + provider
                        + " credential is at its limit (calls at once, or calls a minute)", null);
            }
            // a key frees up at a known time (rest, bucket) or when a call ends (poll for that)
            long pause = Math.min(left, Math.min(soonest, Duration.ofMillis(20).toNanos()));
            LockSupport.parkNanos(Math.max(pause, 1_000_000));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new RetriableModelException.Unavailable("interrupted while waiting for a key of " + provider, null);
            }
        }
    }

    /** One call's hold on a key. */
    final class Lease implements AutoCloseable {

        private final Lane lane;
        private boolean closed;

        private Lease(Lane lane) {
            this.lane = lane;
        }

        /** The configuration with only this key. */
        ProviderConfig config() {
            return lane.config;
        }

        /** The key's position in the credential, from 0. */
        int index() {
            return lane.index;
        }

        /** Tells the pool how the call failed, so that the key rests when the vendor said so. */
        void failed(ModelException failure) {
            long now = System.nanoTime();
            if (failure instanceof RetriableModelException.RateLimited limited && lanes.size() > 1) {
                lane.rest(now, limited.retryAfter().orElse(RATE_LIMIT_REST), false);
            } else if ((failure instanceof NonRetriableModelException.AuthenticationFailed
                    || failure instanceof NonRetriableModelException.QuotaExceeded) && lanes.size() > 1) {
                lane.rest(now, REFUSED_REST, true);
            }
        }

        /** Whether another key of the credential could take the call now. */
        boolean othersAvailable() {
            long now = System.nanoTime();
            return lanes.stream().anyMatch(other -> other != lane && !other.resting(now));
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                lane.release();
            }
        }
    }

    /** One key: its calls under way, its bucket of calls a minute, and its rest. */
    private static final class Lane {

        final int index;
        final ProviderConfig config;
        private final Semaphore running;
        private final int perMinute;
        private double tokens;
        private long refilled = System.nanoTime();
        private volatile long restUntil;
        private volatile long refusedUntil;

        Lane(int index, ProviderConfig config, Limits limits) {
            this.index = index;
            this.config = config;
            this.running = limits.maxConcurrent() > 0 ? new Semaphore(limits.maxConcurrent()) : null;
            this.perMinute = limits.perMinute();
            this.tokens = perMinute;
        }

        boolean resting(long now) {
            return now - restUntil < 0;
        }

        boolean refused(long now) {
            return now - refusedUntil < 0;
        }

        /** 0 when the call may go now (and it was counted), else nanoseconds until it might. */
        synchronized long tryTake(long now) {
            if (resting(now)) {
                return restUntil - now;
            }
            if (perMinute > 0) {
                tokens = Math.min(perMinute, tokens + (now - refilled) * perMinute / 60e9);
                refilled = now;
                if (tokens < 1) {
                    return (long) ((1 - tokens) * 60e9 / perMinute);
                }
            }
            if (running != null && !running.tryAcquire()) {
                return Duration.ofMillis(20).toNanos();
            }
            if (perMinute > 0) {
                tokens -= 1;
            }
            return 0;
        }

        void release() {
            if (running != null) {
                running.release();
            }
        }

        void rest(long now, Duration how, boolean refusal) {
            long until = now + Math.max(0, how.toNanos());
            if (until - restUntil > 0) {
                restUntil = until;
            }
            if (refusal) {
                refusedUntil = until;
            }
        }
    }
}
