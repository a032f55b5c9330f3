package dev.weft.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.platform.security.ApiKey;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KeyCacheTest {

    private final AtomicLong nanos = new AtomicLong();
    private final KeyCache cache = new KeyCache(100, Duration.ofSeconds(5), nanos::get);

    private static ApiKey key(int n) {
        return new ApiKey("id-" + n, "ws", ApiKey.DATASET, null, "dataset-...abcd", Instant.EPOCH, null);
    }

    @Test
    void should_trust_entries_for_the_time_to_live_only() {
        cache.put("h", key(1), cache.generation());

        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(cache.get("h")).isPresent();
        nanos.incrementAndGet();
        assertThat(cache.get("h")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void should_never_hold_more_than_its_capacity() {
        for (int i = 0; i < 1000; i++) {
            cache.put("h" + i, key(i), cache.generation());
            assertThat(cache.size()).isLessThanOrEqualTo(100);
        }
        assertThat(cache.get("h999")).isPresent();
    }

    @Test
    void should_make_room_from_expired_entries_first() {
        for (int i = 0; i < 100; i++) {
            cache.put("old" + i, key(i), cache.generation());
        }
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        cache.put("new", key(1000), cache.generation());

        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void should_not_keep_a_key_read_before_a_revocation() {
        long before = cache.generation();
        // the key is read from the store, then revoked and evicted, then the reader caches it
        cache.evict("h");
        cache.put("h", key(1), before);

        assertThat(cache.get("h")).isEmpty();
    }

    @Test
    void should_evict_at_once() {
        cache.put("h", key(1), cache.generation());

        cache.evict("h");

        assertThat(cache.get("h")).isEmpty();
    }
}
