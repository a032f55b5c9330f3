package dev.weft.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsTest {

    private final Secrets secrets = new Secrets();

    @Test
    void should_make_distinct_43_character_base64url_tokens() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = secrets.token();
            assertThat(token).matches("[A-Za-z0-9_-]{43}");
            assertThat(Secrets.looksLikeToken(token)).isTrue();
            tokens.add(token);
        }
        assertThat(tokens).hasSize(1000);
    }

    @Test
    void should_tell_token_shaped_text_from_the_rest() {
        assertThat(Secrets.looksLikeToken(null)).isFalse();
        assertThat(Secrets.looksLikeToken("")).isFalse();
        assertThat(Secrets.looksLikeToken("a".repeat(42))).isFalse();
        assertThat(Secrets.looksLikeToken("a".repeat(44))).isFalse();
        assertThat(Secrets.looksLikeToken("a".repeat(42) + "=")).isFalse();
        assertThat(Secrets.looksLikeToken("a".repeat(42) + "'")).isFalse();
    }

    @Test
    void should_draw_alphanumeric_characters_only() {
        String text = secrets.alphanumeric(10_000);

        assertThat(text).matches("[A-Za-z0-9]{10000}");
        // every one of the 62 characters shows up in 10,000 draws
        assertThat(text.chars().distinct().count()).isEqualTo(62);
    }

    @Test
    void should_digest_with_sha256_in_lower_case_hex() {
        assertThat(Secrets.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void should_compare_secrets_by_value_and_never_match_null() {
        assertThat(Secrets.constantTimeEquals("abc", "abc")).isTrue();
        assertThat(Secrets.constantTimeEquals("abc", "abd")).isFalse();
        assertThat(Secrets.constantTimeEquals("abc", "abcd")).isFalse();
        assertThat(Secrets.constantTimeEquals(null, "abc")).isFalse();
        assertThat(Secrets.constantTimeEquals("abc", null)).isFalse();
    }
}
