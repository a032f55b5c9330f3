package dev.weft.platform.models.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.core.Secret;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.RetriableModelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeyPoolTest {

    private final KeyPool.Registry registry = new KeyPool.Registry();

    private static ProviderConfig keys(String keys, Map<String, Object> settings) {
        return new ProviderConfig(settings, Map.of("api_key", Secret.of(keys)));
    }

    private static String key(KeyPool.Lease lease) {
        return lease.config().secret("api_key").orElseThrow().reveal();
    }

    @Test
    void callsTakeTheKeysInTurnEachWithOnlyItsOwnKey() throws ModelException {
        KeyPool pool = registry.of("openai", keys("sk-a, sk-b\nsk-c", Map.of()), KeyPool.Limits.NONE);
        assertThat(pool.size()).isEqualTo(3);
        List<String> used = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            try (KeyPool.Lease lease = pool.acquire(Duration.ZERO)) {
                used.add(key(lease));
            }
        }
        assertThat(used).containsExactly("sk-a", "sk-b", "sk-c", "sk-a", "sk-b", "sk-c");
        assertThat(registry.of("openai", keys("sk-a, sk-b\nsk-c", Map.of()), KeyPool.Limits.NONE)).isSameAs(pool);
    }

    @Test
    void aKeyAtItsConcurrencyLimitMakesTheNextCallWaitThenFailAsRateLimited() throws Exception {
        ProviderConfig config = keys("sk-a", Map.of("max_concurrent", "1"));
        // the credential's own setting wins over the instance's default
        KeyPool pool = registry.of("openai", config, new KeyPool.Limits(8, 0).over(config));
        KeyPool.Lease held = pool.acquire(Duration.ZERO);
        assertThatThrownBy(() -> pool.acquire(Duration.ofMillis(100))).isInstanceOf(RetriableModelException.RateLimited.class)
                .hasMessageContaining("at its limit").hasMessageNotContaining("sk-a");

        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
            try (KeyPool.Lease lease = pool.acquire(Duration.ofSeconds(5))) {
                return key(lease);
            } catch (ModelException e) {
                return e.toString();
            }
        });
        Thread.sleep(150);
        assertThat(waiting).isNotDone();
        held.close();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("sk-a");
    }

    @Test
    void aKeyAtItsCallsPerMinuteLimitWaitsForItsBucket() throws ModelException {
        KeyPool pool = registry.of("openai", keys("sk-a", Map.of()), new KeyPool.Limits(0, 2));
        pool.acquire(Duration.ZERO).close();
        pool.acquire(Duration.ZERO).close();
        assertThatThrownBy(() -> pool.acquire(Duration.ofMillis(50))).isInstanceOf(RetriableModelException.RateLimited.class);
        // at two a minute, the next call may go after about 30 seconds: a short patience is not enough
        long started = System.nanoTime();
        assertThatThrownBy(() -> pool.acquire(Duration.ofMillis(200))).isInstanceOf(RetriableModelException.RateLimited.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aRateLimitedKeyRestsWhileTheOthersServe() throws ModelException {
        KeyPool pool = registry.of("openai", keys("sk-a,sk-b", Map.of()), KeyPool.Limits.NONE);
        try (KeyPool.Lease lease = pool.acquire(Duration.ZERO)) {
            assertThat(key(lease)).isEqualTo("sk-a");
            lease.failed(new RetriableModelException.RateLimited("429", Duration.ofSeconds(30)));
            assertThat(lease.othersAvailable()).isTrue();
        }
        for (int i = 0; i < 4; i++) {
            try (KeyPool.Lease lease = pool.acquire(Duration.ZERO)) {
                assertThat(key(lease)).isEqualTo("sk-b");
            }
        }
    }

    @Test
    void whenEveryKeyWasRefusedTheCallFailsAtOnce() throws ModelException {
        KeyPool pool = registry.of("anthropic", keys("k1,k2", Map.of()), KeyPool.Limits.NONE);
        for (int i = 0; i < 2; i++) {
            try (KeyPool.Lease lease = pool.acquire(Duration.ZERO)) {
                lease.failed(new NonRetriableModelException.AuthenticationFailed("HTTP 401"));
            }
        }
        long started = System.nanoTime();
        assertThatThrownBy(() -> pool.acquire(Duration.ofSeconds(30))).isInstanceOf(NonRetriableModelException.AuthenticationFailed.class)
                .hasMessageContaining("every key");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }
}
