package dev.weft.api.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A credential or other sensitive string that must not leak.
 *
 * <p>{@link #toString()} never shows the value; {@link #masked()} gives the obfuscated form that
 * API responses may show; only {@link #reveal()} gives the value, for the single place that has to
 * send it (an HTTP header to a model vendor, say). Equality is by value, compared in constant time.
 */
@ProviderType
public final class Secret {

    private static final String MASK = "*".repeat(20);
    private static final int SHOWN_FROM_LENGTH = 32;

    private final char[] value;

    private Secret(char[] value) {
        this.value = value;
    }

    /** Wraps a value; empty values are allowed (an optional credential left blank). */
    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "value").toCharArray());
    }

    /** The value. Call it only where the value must leave the process, and never log it. */
    public String reveal() {
        return new String(value);
    }

    /** Whether the value is empty. */
    public boolean isEmpty() {
        return value.length == 0;
    }

    /**
     * The form shown to people: values shorter than 32 characters become 20 stars; longer ones keep
     * their first 6 and last 2 characters around 12 stars ({@code sk-abc************yz}), so that
     * at least three quarters of a value stay hidden and keys can still be told apart.
     */
    public String masked() {
        if (value.length == 0) {
            return "";
        }
        if (value.length < SHOWN_FROM_LENGTH) {
            return MASK;
        }
        return new String(value, 0, 6) + "*".repeat(12) + new String(value, value.length - 2, 2);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret that
                && MessageDigest.isEqual(bytes(value), bytes(that.value));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    /** Never the value. */
    @Override
    public String toString() {
        return "Secret[" + (value.length == 0 ? "empty" : "hidden") + "]";
    }

    private static byte[] bytes(char[] chars) {
        return new String(chars).getBytes(StandardCharsets.UTF_8);
    }
}
