package dev.weft.platform.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionsTest {

    @Test
    void should_compare_segments_as_numbers() {
        assertThat(Versions.compare("1.10", "1.9")).isPositive();
        assertThat(Versions.compare("2", "1.9.9")).isPositive();
        assertThat(Versions.compare("1.0.0", "1.1.0")).isNegative();
    }

    @Test
    void should_treat_missing_segments_as_zero() {
        assertThat(Versions.compare("1", "1.0.0")).isZero();
    }

    @Test
    void should_order_qualifiers_as_text_after_the_numbers() {
        assertThat(Versions.compare("0.1.0.SNAPSHOT", "0.1.0")).isPositive();
        assertThat(Versions.compare("1.0.0.a", "1.0.0.b")).isNegative();
    }
}
