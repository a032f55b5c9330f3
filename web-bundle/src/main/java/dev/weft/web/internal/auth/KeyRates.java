package dev.weft.web.internal.auth;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Requests per API key and minute, counted in fixed one-minute windows: beyond the limit a key's
 * requests answer 429 with the time left in its window. A limit of 0 counts nothing.
 */
public final class KeyRates {

    private static final long WINDOW_MILLIS = 60_000;
    private static final int MAX_KEYS = 100_000;

    private final int perMinute;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    KeyRates(int perMinute) {
        this(perMinute, System::currentTimeMillis);
    }

    KeyRates(int perMinute, LongSupplier clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    private record Window(long start, int count) {
    }

    /** Counts one request of the key; the wait when the key is over its limit. */
    public Optional<Duration> admit(String keyId) {
        if (perMinute <= 0) {
            return Optional.empty();
        }
        long now = clock.getAsLong();
        long start = now - Math.floorMod(now, WINDOW_MILLIS);
        if (windows.size() > MAX_KEYS) {
            windows.entrySet().removeIf(e -> e.getValue().start() < start);
        }
        Window window = windows.merge(keyId, new Window(start, 1),
                (old, one) -> old.start() == start ? new Window(start, old.count() + 1) : one);
        if (window.count() > perMinute) {
            return Optional.of(Duration.ofMillis(start + WINDOW_MILLIS - now));
        }
        return Optional.empty();
    }
}
