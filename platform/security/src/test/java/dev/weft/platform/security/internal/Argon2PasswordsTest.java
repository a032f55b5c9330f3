package dev.weft.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class Argon2PasswordsTest {

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

    private final Argon2Passwords passwords = new Argon2Passwords(Argon2Passwords.OWASP, new Secrets());

    @Test
    void should_hash_with_owasp_parameters_as_a_phc_string_and_verify_the_same_password() {
        String hash = passwords.hash("correct horse 42".toCharArray());

        Matcher phc = PHC.matcher(hash);
        assertThat(phc.matches()).as(hash).isTrue();
        assertThat(phc.group(1)).doesNotContain("=");
        assertThat(Base64.getDecoder().decode(phc.group(1))).hasSize(16);
        assertThat(Base64.getDecoder().decode(phc.group(2))).hasSize(32);
        assertThat(passwords.verify("correct horse 42".toCharArray(), hash)).isTrue();
        assertThat(passwords.needsRehash(hash)).isFalse();
    }

    @Test
    void should_refuse_a_wrong_password() {
        String hash = passwords.hash("s3cret-password".toCharArray());

        assertThat(passwords.verify("s3cret-passworD".toCharArray(), hash)).isFalse();
        assertThat(passwords.verify("".toCharArray(), hash)).isFalse();
        assertThat(passwords.verify(null, hash)).isFalse();
    }

    @Test
    void should_salt_each_hash_differently() {
        char[] password = "same password 1".toCharArray();

        assertThat(passwords.hash(password)).isNotEqualTo(passwords.hash(password));
    }

    @Test
    void should_not_change_the_callers_password_array() {
        char[] password = "leave me 1 as I am".toCharArray();

        passwords.verify(password, passwords.hash(password));

        assertThat(new String(password)).isEqualTo("leave me 1 as I am");
    }

    @Test
    void should_hash_non_ascii_passwords_as_utf8() {
        Argon2Passwords cheap = new Argon2Passwords(new Argon2Passwords.Params(64, 1, 1), new Secrets());
        String hash = cheap.hash("pässwörd 日本 1".toCharArray());

        assertThat(cheap.verify("pässwörd 日本 1".toCharArray(), hash)).isTrue();
        assertThat(cheap.verify("passwort 日本 1".toCharArray(), hash)).isFalse();
        assertThat(Argon2Passwords.utf8("é".toCharArray())).containsExactly(0xC3 - 256, 0xA9 - 256);
    }

    @Test
    void should_verify_hashes_made_with_other_parameters_and_say_they_need_a_rehash() {
        Argon2Passwords cheap = new Argon2Passwords(new Argon2Passwords.Params(64, 1, 1), new Secrets());
        String old = cheap.hash("upgrade me 7".toCharArray());

        assertThat(old).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
        assertThat(passwords.verify("upgrade me 7".toCharArray(), old)).isTrue();
        assertThat(passwords.needsRehash(old)).isTrue();
    }

    @Test
    void should_answer_false_for_malformed_or_absurd_hashes() {
        char[] password = "anything 1".toCharArray();

        assertThat(passwords.verify(password, null)).isFalse();
        assertThat(passwords.verify(password, "")).isFalse();
        assertThat(passwords.verify(password, "plain text")).isFalse();
        assertThat(passwords.verify(password, "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"))
                .isFalse();
        // 2 TiB of memory must not be attempted
        assertThat(passwords.verify(password,
                "$argon2id$v=19$m=2147483647,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA")).isFalse();
        assertThat(passwords.needsRehash("garbage")).isTrue();
    }

    @Test
    void should_ship_a_dummy_hash_with_the_current_parameters_that_nothing_matches() {
        assertThat(PHC.matcher(Argon2Passwords.DUMMY_HASH).matches()).isTrue();
        assertThat(passwords.needsRehash(Argon2Passwords.DUMMY_HASH)).isFalse();
        assertThat(passwords.verifyDummy("password1".toCharArray())).isFalse();
        assertThat(passwords.verifyDummy(null)).isFalse();
    }
}
