package dev.weft.platform.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Random tokens and their digests. Tokens given to people (session cookies, invitation links,
 * API keys, the operator token) are drawn from a {@link SecureRandom}; the store keeps only their
 * SHA-256, which is enough because the tokens carry 140 or more bits of entropy.
 */
final class Secrets {

    /** Length of a {@link #token()}: 32 bytes in unpadded base64url. */
    static final int TOKEN_LENGTH = 43;

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random;

    Secrets(SecureRandom random) {
        this.random = random;
    }

    Secrets() {
        this(new SecureRandom());
    }

    /** 32 random bytes in unpadded base64url: {@value #TOKEN_LENGTH} characters of [A-Za-z0-9_-]. */
    String token() {
        return BASE64URL.encodeToString(bytes(32));
    }

    /** {@code length} characters drawn uniformly from [A-Za-z0-9]. */
    String alphanumeric(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length()));
        }
        return new String(chars);
    }

    byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Whether a text has the shape of a {@link #token()}: checked before any lookup. */
    static boolean looksLikeToken(String text) {
        if (text == null || text.length() != TOKEN_LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The SHA-256 of the text's UTF-8 bytes, as 64 lower-case hex digits: what the store keeps. */
    static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Compares two secrets in time that depends on neither's content (nor on their lengths). */
    static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(a), sha256(b));
    }
}
