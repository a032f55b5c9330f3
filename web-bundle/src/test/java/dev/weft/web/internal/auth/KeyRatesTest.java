package dev.weft.web.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KeyRatesTest {

    @Test
    void a_key_over_its_limit_waits_for_its_window_and_other_keys_do_not() {
        AtomicLong now = new AtomicLong(120_000);
        KeyRates rates = new KeyRates(3, now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(rates.admit("a")).isEmpty();
        }
        now.addAndGet(15_000);
        assertThat(rates.admit("a")).contains(Duration.ofSeconds(45));
        assertThat(rates.admit("b")).isEmpty();
        now.addAndGet(45_000);
        assertThat(rates.admit("a")).as("a new minute").isEmpty();
    }

    @Test
    void no_limit_counts_nothing() {
        KeyRates rates = new KeyRates(0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(rates.admit("a")).isEmpty();
        }
    }
}
