package dev.weft.platform.security.internal;

import dev.weft.platform.security.ApiKey;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The live keys recently verified, by key hash: a bounded map whose entries are trusted for a few
 * seconds only, so that a key deleted behind this process's back (its app or workspace deleted,
 * another node revoking it) stops working within that time.
 *
 * <p>Revocations in this process are immediate: {@link #evict} removes the entry, and a lookup that
 * read the key before the revocation committed cannot put it back afterwards (the generation
 * counter tells it that a revocation happened meanwhile). Only live keys are cached, so random
 * keys guessed by a client cannot fill the map.
 */
final class KeyCache {

    /** A cached key and when it was read, in {@link #nanos} time; {@code lastUsedAt} is updated in place. */
    static final class Entry {
        final ApiKey key;
        final long readAt;
        /** When the key's use was last recorded in the store, in epoch milliseconds (0: never). */
        final AtomicLong lastUseRecordedMillis;

        Entry(ApiKey key, long readAt) {
            this.key = key;
            this.readAt = readAt;
            this.lastUseRecordedMillis = new AtomicLong(key.lastUsedAt() == null ? 0 : key.lastUsedAt().toEpochMilli());
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final int capacity;
    private final long ttlNanos;
    private final LongSupplier nanos;

    KeyCache(int capacity, Duration ttl, LongSupplier nanos) {
        this.capacity = capacity;
        this.ttlNanos = ttl.toNanos();
        this.nanos = nanos;
    }

    /** The fresh entry of a key hash; empty when absent or older than the time to live. */
    Optional<Entry> get(String keyHash) {
        Entry entry = entries.get(keyHash);
        if (entry == null) {
            return Optional.empty();
        }
        if (nanos.getAsLong() - entry.readAt > ttlNanos) {
            entries.remove(keyHash, entry);
            return Optional.empty();
        }
        return Optional.of(entry);
    }

    /** The generation to read before looking a key up in the store, and to give to {@link #put}. */
    long generation() {
        return generation.get();
    }

    /**
     * Caches a key read from the store, unless a revocation happened since {@code generationBefore}.
     *
     * @return the entry, cached or not
     */
    Entry put(String keyHash, ApiKey key, long generationBefore) {
        Entry entry = new Entry(key, nanos.getAsLong());
        if (generation.get() != generationBefore) {
            return entry;
        }
        makeRoom();
        entries.put(keyHash, entry);
        if (generation.get() != generationBefore) {
            // a revocation raced with this put: it may have evicted before we put, so take it out
            entries.remove(keyHash, entry);
        }
        return entry;
    }

    /** Forgets a key at once; call after the revocation is committed. */
    void evict(String keyHash) {
        generation.incrementAndGet();
        entries.remove(keyHash);
    }

    int size() {
        return entries.size();
    }

    private void makeRoom() {
        if (entries.size() < capacity) {
            return;
        }
        long now = nanos.getAsLong();
        entries.values().removeIf(entry -> now - entry.readAt > ttlNanos);
        if (entries.size() < capacity) {
            return;
        }
        // still full of fresh entries: drop some, they are only a cache
        Iterator<String> keys = entries.keySet().iterator();
        int excess = entries.size() - capacity + Math.max(1, capacity / 10);
        while (excess-- > 0 && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
