package dev.weft.platform.security.internal;

import dev.weft.platform.security.Throttle;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * An in-memory sliding-window {@link Throttle}. A client is blocked against a target once it has
 * failed {@code throttle.client.failures} times (default 10) against it within the window (default
 * one minute); every client is blocked against a target once all clients together have failed
 * {@code throttle.target.failures} times (default 100) against it within the window. The wait
 * answered is the time until the oldest of those failures leaves the window, in whole seconds, at
 * least one.
 *
 * <p>Memory is bounded: each window keeps only the times of its last failures (at most its limit),
 * windows whose failures have all left the window are swept away, and each map holds at most
 * {@value #MAX_TRACKED} windows; when a map is full of live windows, new clients are not tracked
 * until room frees up (the per-target window still protects their target). State is per process.
 */
@Component(service = Throttle.class, configurationPid = SecurityConfig.PID)
public final class SlidingWindowThrottle implements Throttle {

    static final int MAX_TRACKED = 100_000;

    private record ClientTarget(String client, String target) {
    }

    private final Clock clock;
    private volatile int clientLimit;
    private volatile int targetLimit;
    private volatile long windowMillis;
    private final int maxTracked;
    private final Map<ClientTarget, Window> clients = new ConcurrentHashMap<>();
    private final Map<String, Window> targets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong();
    private final AtomicLong lastFullSweep = new AtomicLong(Long.MIN_VALUE / 2);

    @Activate
    public SlidingWindowThrottle(SecurityConfig config) {
        this(Clock.systemUTC(), Math.max(1, config.throttle_client_failures()),
                Math.max(1, config.throttle_target_failures()),
                Duration.ofSeconds(Math.max(1, config.throttle_window_seconds())), MAX_TRACKED);
    }

    /** New limits take effect at once; the failures counted so far stay counted. */
    @org.osgi.service.component.annotations.Modified
    void modified(SecurityConfig config) {
        this.clientLimit = Math.max(1, config.throttle_client_failures());
        this.targetLimit = Math.max(1, config.throttle_target_failures());
        this.windowMillis = Duration.ofSeconds(Math.max(1, config.throttle_window_seconds())).toMillis();
    }

    SlidingWindowThrottle(Clock clock, int clientLimit, int targetLimit, Duration window, int maxTracked) {
        this.clock = clock;
        this.clientLimit = clientLimit;
        this.targetLimit = targetLimit;
        this.windowMillis = window.toMillis();
        this.maxTracked = maxTracked;
        this.lastSweep.set(clock.millis());
    }

    @Override
    public Optional<Duration> blocked(String client, String target) {
        long now = clock.millis();
        long until = 0;
        Window own = clients.get(new ClientTarget(text(client), text(target)));
        if (own != null) {
            until = own.blockedUntil(now, windowMillis);
        }
        Window all = targets.get(text(target));
        if (all != null) {
            until = Math.max(until, all.blockedUntil(now, windowMillis));
        }
        if (until <= now) {
            return Optional.empty();
        }
        long seconds = Math.max(1, (until - now + 999) / 1000);
        return Optional.of(Duration.ofSeconds(seconds));
    }

    @Override
    public void failed(String client, String target) {
        long now = clock.millis();
        sweepIfDue(now);
        record(clients, new ClientTarget(text(client), text(target)), clientLimit, now);
        record(targets, text(target), targetLimit, now);
    }

    @Override
    public void succeeded(String client, String target) {
        clients.remove(new ClientTarget(text(client), text(target)));
    }

    /** How many windows are tracked, clients and targets together. */
    int tracked() {
        return clients.size() + targets.size();
    }

    private <K> void record(Map<K, Window> windows, K key, int limit, long now) {
        if (windows.size() >= maxTracked && !windows.containsKey(key)) {
            // full: sweep at most once a second, so that a flood of new clients costs no full scan each
            long last = lastFullSweep.get();
            if (now - last >= 1000 && lastFullSweep.compareAndSet(last, now)) {
                sweep(windows, now);
            }
            if (windows.size() >= maxTracked) {
                return;
            }
        }
        windows.compute(key, (k, window) -> {
            Window kept = window == null ? new Window(limit) : window;
            kept.add(now);
            return kept;
        });
    }

    private void sweepIfDue(long now) {
        long last = lastSweep.get();
        if (now - last >= windowMillis && lastSweep.compareAndSet(last, now)) {
            sweep(clients, now);
            sweep(targets, now);
        }
    }

    private <K> void sweep(Map<K, Window> windows, long now) {
        windows.values().removeIf(window -> window.idle(now, windowMillis));
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    /** The times of the last failures of one key, oldest first in ring order, at most {@code limit}. */
    private static final class Window {
        private final int limit;
        private long[] times = new long[4];
        private int count;
        private int next;
        private long newest;

        Window(int limit) {
            this.limit = limit;
        }

        synchronized void add(long time) {
            newest = Math.max(newest, time);
            if (count < limit && count == times.length) {
                // grow in place: while not full, the ring starts at 0
                times = Arrays.copyOf(times, Math.min(limit, times.length * 2));
            }
            if (count < limit) {
                times[count++] = time;
                next = count % limit;
            } else {
                times[next] = time;
                next = (next + 1) % limit;
            }
        }

        /** Until when the key is blocked: the oldest kept failure plus the window, if the window holds all of them. */
        synchronized long blockedUntil(long now, long windowMillis) {
            if (count < limit) {
                return 0;
            }
            long oldest = times[next];
            return now - oldest < windowMillis ? oldest + windowMillis : 0;
        }

        /** Whether every failure kept has left the window. */
        synchronized boolean idle(long now, long windowMillis) {
            return now - newest >= windowMillis;
        }
    }
}
