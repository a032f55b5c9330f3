package dev.weft.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.core.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountRulesTest {

    @Test
    void should_normalise_emails_by_trimming_and_lower_casing() {
        assertThat(AccountRules.normaliseEmail("  Alice@Example.COM \n")).isEqualTo("alice@example.com");
        assertThat(AccountRules.normaliseEmail(null)).isEmpty();
    }

    @Test
    void should_accept_ordinary_emails_and_refuse_malformed_ones() {
        assertThat(List.of("a@b.c", "alice+weft@example.com", "ops@localhost", "x.y_z@sub.example-1.org"))
                .allSatisfy(email -> assertThat(AccountRules.validEmail(email)).as(email).isTrue());
        assertThat(List.of("", "alice", "@example.com", "alice@", "a@@b.c", "a b@c.d", "a@b..c", "a@-b.c",
                "a@b.c\n", "x".repeat(65) + "@b.c", "a@" + "b".repeat(64) + ".c"))
                .allSatisfy(email -> assertThat(AccountRules.validEmail(email)).as(email).isFalse());
    }

    @Test
    void should_require_eight_characters_with_letters_and_digits() {
        assertThat(violations("abcdefg1")).isEmpty();
        assertThat(violations("pass wörd 9")).isEmpty();
        assertThat(violations("abc1")).singleElement().extracting(Violation::path).isEqualTo("/password");
        assertThat(violations("abcdefgh")).singleElement().extracting(Violation::message)
                .isEqualTo("must contain both letters and digits");
        assertThat(violations("12345678")).hasSize(1);
        assertThat(violations("a1".repeat(129))).singleElement().extracting(Violation::message).asString()
                .contains("at most");
        assertThat(violations(null)).hasSize(1);
    }

    private static List<Violation> violations(String password) {
        List<Violation> violations = new ArrayList<>();
        AccountRules.checkPassword(password == null ? null : password.toCharArray(), violations);
        return violations;
    }
}
