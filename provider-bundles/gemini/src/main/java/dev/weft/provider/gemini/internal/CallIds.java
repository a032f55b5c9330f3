package dev.weft.provider.gemini.internal;

/**
 * Ids for Gemini's function calls, which the API does not name.
 *
 * <p>A call's id is {@code call_<n>}, {@code n} its position in the answer, so the same answer
 * always gets the same ids. Thinking models (Gemini 2.5, 3) also attach an opaque
 * {@code thoughtSignature} to a function call, and Gemini 3 rejects the next request with a 400
 * unless the signature comes back on that call. The SPI's {@code ToolCall} has no field for it, and
 * the id is the one value the platform keeps and sends back unchanged, so a signature rides in the
 * id after {@link #SIGNATURE}: {@code call_0#ts=<signature>}. Ids without the marker (the
 * platform's own, other vendors') carry none.
 */
final class CallIds {

    static final String SIGNATURE = "#ts=";

    private CallIds() {
    }

    static String of(int index, String thoughtSignature) {
        String id = "call_" + index;
        return thoughtSignature == null || thoughtSignature.isEmpty() ? id : id + SIGNATURE + thoughtSignature;
    }

    /** The thought signature an id carries, or null. */
    static String signature(String id) {
        int at = id.indexOf(SIGNATURE);
        return at < 0 || at + SIGNATURE.length() == id.length() ? null : id.substring(at + SIGNATURE.length());
    }
}
