package dev.weft.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void should_never_show_the_value_in_toString() {
        Secret secret = Secret.of("sk-live-0123456789abcdef");

        assertThat(secret.toString()).doesNotContain("0123456789").isEqualTo("Secret[hidden]");
        assertThat(String.valueOf(secret)).doesNotContain("sk-live");
    }

    @Test
    void should_mask_long_values_keeping_six_leading_and_two_trailing_characters() {
        assertThat(Secret.of("sk-proj-0123456789abcdefghijklmnopqrstuv").masked()).isEqualTo("sk-pro************uv");
    }

    @Test
    void should_mask_values_shorter_than_32_characters_completely() {
        assertThat(Secret.of("12345678").masked()).isEqualTo("********************");
        assertThat(Secret.of("sk-live-0123456789abcdef-012345").masked()).isEqualTo("********************");
        assertThat(Secret.of("").masked()).isEmpty();
    }

    @Test
    void should_compare_by_value() {
        assertThat(Secret.of("abc")).isEqualTo(Secret.of("abc")).hasSameHashCodeAs(Secret.of("abc"));
        assertThat(Secret.of("abc")).isNotEqualTo(Secret.of("abd"));
        assertThat(Secret.of("abc").reveal()).isEqualTo("abc");
    }
}
