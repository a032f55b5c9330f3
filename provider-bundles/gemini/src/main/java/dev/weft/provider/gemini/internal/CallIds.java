package dev.weft.provider.gemini.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.random.RandomGenerator;

/**
 * Ids for Gemini's function calls, which the API does not name.
 *
 * <p>A call's id is {@code call_} and 16 random base62 characters, unique across turns: a
 * conversation may later go to another vendor, which matches results to calls by id and refuses
 * repeated ones. Thinking models (Gemini 2.5, 3) also attach an opaque {@code thoughtSignature} to
 * a function call, and Gemini 3 rejects the next request with a 400 unless the signature comes back
 * on that call. The SPI's {@code ToolCall} has no field for it, and the id is the one value the
 * platform keeps and sends back unchanged, so a signature rides in the id after {@link #SIGNATURE}:
 * {@code call_<random>__ts_<signature>}. Everything in the id is in {@code [A-Za-z0-9_-]}, the
 * characters Anthropic and OpenAI accept in a call id: the signature, base64 on Gemini's wire, is
 * carried as unpadded base64url and given back as standard base64. Ids without the marker (the
 * platform's own, other vendors') carry none.
 */
final class CallIds {

    static final String SIGNATURE = "__ts_";

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final RandomGenerator RANDOM = new SecureRandom();

    private CallIds() {
    }

    /** A new id, carrying this thought signature (null or empty: none). */
    static String of(String thoughtSignature) {
        StringBuilder id = new StringBuilder("call_");
        for (int i = 0; i < 16; i++) {
            id.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
        }
        String carried = carried(thoughtSignature);
        return carried == null ? id.toString() : id + SIGNATURE + carried;
    }

    /**
     * A signature as base64url without padding, or null when there is none or it is not base64
     * (Google writes bytes fields as standard base64, and accepts either alphabet back).
     */
    private static String carried(String thoughtSignature) {
        if (thoughtSignature == null || thoughtSignature.isEmpty()) {
            return null;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(thoughtSignature.replace('-', '+').replace('_', '/'));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The thought signature an id carries, as standard base64, or null. */
    static String signature(String id) {
        int at = id.indexOf(SIGNATURE);
        if (at < 0 || at + SIGNATURE.length() == id.length()) {
            return null;
        }
        try {
            return Base64.getEncoder().encodeToString(Base64.getUrlDecoder().decode(id.substring(at + SIGNATURE.length())));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
