package dev.weft.platform.models.internal;

import dev.weft.spi.model.ModelProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.osgi.framework.Constants;

/**
 * The provider services present now, by provider id. When several bundles register the same id,
 * the one with the highest service ranking serves, then the one registered first (OSGi's order).
 *
 * <p>A provider that was here and is gone is most likely being replaced (its bundle updated in
 * {@code deploy/}): callers may wait a moment for it to come back instead of failing, which is what
 * lets an operator swap a provider bundle while traffic flows. Calls already under way keep the
 * instance they started with.
 */
final class ProviderDirectory {

    private record Entry(ModelProvider provider, int rank, long serviceId) {
    }

    private static final Comparator<Entry> ORDER = Comparator.comparingInt(Entry::rank).reversed()
            .thenComparingLong(Entry::serviceId);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, List<Entry>> registered = new HashMap<>();
    private final Set<String> seen = new HashSet<>();
    /** When each id lost its last provider ({@link System#nanoTime()}). */
    private final Map<String, Long> goneSince = new ConcurrentHashMap<>();
    /** The serving provider of each id, for lock-free reads on the call path. */
    private final Map<String, ModelProvider> serving = new ConcurrentHashMap<>();

    void add(ModelProvider provider, Map<String, Object> properties) {
        String id = provider.descriptor().id();
        int rank = properties.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
        long serviceId = properties.get(Constants.SERVICE_ID) instanceof Long s ? s : Long.MAX_VALUE;
        lock.lock();
        try {
            registered.computeIfAbsent(id, k -> new ArrayList<>()).add(new Entry(provider, rank, serviceId));
            seen.add(id);
            elect(id);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void remove(ModelProvider provider) {
        lock.lock();
        try {
            for (Map.Entry<String, List<Entry>> entry : registered.entrySet()) {
                if (entry.getValue().removeIf(e -> e.provider() == provider)) {
                    elect(entry.getKey());
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void elect(String id) {
        List<Entry> entries = registered.getOrDefault(id, List.of());
        if (entries.isEmpty()) {
            if (serving.remove(id) != null) {
                goneSince.put(id, System.nanoTime());
            }
        } else {
            serving.put(id, entries.stream().min(ORDER).orElseThrow().provider());
            goneSince.remove(id);
        }
    }

    /** The provider serving this id now, or null. */
    ModelProvider get(String id) {
        return serving.get(id);
    }

    boolean has(String id) {
        return serving.containsKey(id);
    }

    /**
     * Whether this id is served now, or lost its provider less than {@code recently} ago (most
     * likely being replaced): calls should go to it and wait rather than go elsewhere.
     */
    boolean servesOrReturns(String id, Duration recently) {
        if (serving.containsKey(id)) {
            return true;
        }
        Long gone = goneSince.get(id);
        return gone != null && System.nanoTime() - gone < recently.toNanos();
    }

    Collection<ModelProvider> all() {
        return List.copyOf(serving.values());
    }

    /**
     * The provider serving this id, waiting up to {@code patience} for it when one was registered
     * before and is gone now (being replaced); null when there is none.
     */
    ModelProvider await(String id, Duration patience) throws InterruptedException {
        ModelProvider now = serving.get(id);
        if (now != null || patience.isZero()) {
            return now;
        }
        long deadline = System.nanoTime() + patience.toNanos();
        lock.lock();
        try {
            if (!seen.contains(id)) {
                return null;
            }
            while ((now = serving.get(id)) == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
            return now;
        } finally {
            lock.unlock();
        }
    }
}
