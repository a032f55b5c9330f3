package dev.weft.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlidingWindowThrottleTest {

    private final MutableClock clock = new MutableClock();
    private final SlidingWindowThrottle throttle =
            new SlidingWindowThrottle(clock, 10, 100, Duration.ofMinutes(1), SlidingWindowThrottle.MAX_TRACKED);

    private void fail(String client, String target, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(client, target);
        }
    }

    @Test
    void should_block_a_client_after_ten_failures_within_a_minute() {
        fail("10.0.0.1", "alice@example.com", 9);
        assertThat(throttle.blocked("10.0.0.1", "alice@example.com")).isEmpty();

        throttle.failed("10.0.0.1", "alice@example.com");

        assertThat(throttle.blocked("10.0.0.1", "alice@example.com")).contains(Duration.ofSeconds(60));
        assertThat(throttle.blocked("10.0.0.2", "alice@example.com")).as("another client").isEmpty();
        assertThat(throttle.blocked("10.0.0.1", "bob@example.com")).as("another target").isEmpty();
    }

    @Test
    void should_answer_the_time_until_the_window_frees_in_whole_seconds_at_least_one() {
        fail("c", "t", 10);

        clock.advance(Duration.ofMillis(30_500));
        assertThat(throttle.blocked("c", "t")).contains(Duration.ofSeconds(30));
        clock.advance(Duration.ofMillis(29_400));
        assertThat(throttle.blocked("c", "t")).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofMillis(100));
        assertThat(throttle.blocked("c", "t")).isEmpty();
    }

    @Test
    void should_slide_the_window_over_the_last_failures() {
        fail("c", "t", 5);
        clock.advance(Duration.ofSeconds(40));
        fail("c", "t", 5);
        assertThat(throttle.blocked("c", "t")).contains(Duration.ofSeconds(20));

        clock.advance(Duration.ofSeconds(20));
        // the first five left the window; five more within it block again
        assertThat(throttle.blocked("c", "t")).isEmpty();
        fail("c", "t", 4);
        assertThat(throttle.blocked("c", "t")).isEmpty();
        throttle.failed("c", "t");
        assertThat(throttle.blocked("c", "t")).contains(Duration.ofSeconds(40));
    }

    @Test
    void should_not_count_failures_older_than_the_window() {
        for (int i = 0; i < 20; i++) {
            throttle.failed("c", "t");
            clock.advance(Duration.ofSeconds(7));
        }
        assertThat(throttle.blocked("c", "t")).isEmpty();
    }

    @Test
    void should_forgive_a_clients_failures_on_success() {
        fail("c", "t", 10);
        fail("c", "other", 3);

        throttle.succeeded("c", "t");

        assertThat(throttle.blocked("c", "t")).isEmpty();
        fail("c", "t", 9);
        assertThat(throttle.blocked("c", "t")).isEmpty();
        fail("c", "other", 7);
        assertThat(throttle.blocked("c", "other")).as("failures on another target stay").isPresent();
    }

    @Test
    void should_block_every_client_of_a_target_after_a_hundred_failures_from_many_clients() {
        for (int client = 0; client < 50; client++) {
            fail("10.1.0." + client, "workspace-a", 2);
        }

        assertThat(throttle.blocked("10.1.0.1", "workspace-a")).contains(Duration.ofSeconds(60));
        assertThat(throttle.blocked("192.168.7.7", "workspace-a")).as("a client that never failed")
                .contains(Duration.ofSeconds(60));
        assertThat(throttle.blocked("10.1.0.1", "workspace-b")).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        assertThat(throttle.blocked("192.168.7.7", "workspace-a")).isEmpty();
    }

    @Test
    void should_take_its_thresholds_from_the_configuration() {
        SlidingWindowThrottle configured = new SlidingWindowThrottle(AccountServiceTest.config(7));

        for (int i = 0; i < 9; i++) {
            configured.failed("c", "t");
        }
        assertThat(configured.blocked("c", "t")).isEmpty();
        configured.failed("c", "t");
        assertThat(configured.blocked("c", "t")).get().satisfies(wait ->
                assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(60)));
    }

    @Test
    void should_treat_null_client_and_target_as_values() {
        fail(null, null, 10);

        assertThat(throttle.blocked(null, null)).isPresent();
        assertThat(throttle.blocked("", "")).isPresent();
    }

    @Test
    void should_bound_its_memory_and_sweep_idle_windows() {
        SlidingWindowThrottle small = new SlidingWindowThrottle(clock, 10, 100, Duration.ofMinutes(1), 1000);

        for (int i = 0; i < 5000; i++) {
            small.failed("client-" + i, "target-" + i);
        }
        assertThat(small.tracked()).isLessThanOrEqualTo(2000);

        clock.advance(Duration.ofMinutes(2));
        small.failed("late", "late");
        assertThat(small.tracked()).isEqualTo(2);
    }

    @Test
    void should_count_every_failure_from_concurrent_threads() throws InterruptedException {
        SlidingWindowThrottle exact = new SlidingWindowThrottle(clock, 1000, 100_000, Duration.ofMinutes(1), 1000);
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            IntStream.range(0, 8).forEach(t -> threads.submit(() -> {
                start.await();
                for (int i = 0; i < 125; i++) {
                    exact.failed("c", "t");
                }
                return null;
            }));
            start.countDown();
        }

        assertThat(exact.blocked("c", "t")).isPresent();
        SlidingWindowThrottle oneShort = new SlidingWindowThrottle(clock, 1000, 100_000, Duration.ofMinutes(1), 1000);
        fail(oneShort, 999);
        assertThat(oneShort.blocked("c", "t")).isEmpty();
    }

    private static void fail(SlidingWindowThrottle throttle, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed("c", "t");
        }
    }
}
