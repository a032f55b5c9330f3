package dev.weft.provider.ollama.internal;

import dev.weft.spi.model.NonRetriableModelException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Images as Ollama takes them: bare base64 in a message's {@code images}, without a {@code data:}
 * prefix. Ollama fetches nothing itself, so an image by {@code https:} URL cannot be sent at all;
 * this provider refuses it rather than download it on Ollama's behalf (the platform's egress policy
 * for a user-given URL is the caller's to apply).
 */
final class Images {

    private Images() {
    }

    /** The base64 payload of a {@code data:} URL. */
    static String base64(String url) throws NonRetriableModelException.InvalidRequest {
        String lower = url.strip().toLowerCase(Locale.ROOT);
        if (!lower.startsWith("data:")) {
            String scheme = lower.contains(":") ? lower.substring(0, lower.indexOf(':')) : "";
            throw new NonRetriableModelException.InvalidRequest("Ollama takes images only inline, as base64; an image by "
                    + (scheme.isEmpty() ? "URL" : scheme + ": URL") + " cannot be sent to it. Pass the image as a data: URL.");
        }
        int comma = url.indexOf(',');
        if (comma < 0) {
            throw new NonRetriableModelException.InvalidRequest("an image's data: URL has no data");
        }
        String header = url.substring(0, comma).toLowerCase(Locale.ROOT);
        String data = url.substring(comma + 1).strip();
        if (header.endsWith(";base64")) {
            return data;
        }
        // a data: URL without ";base64" carries percent-encoded bytes
        try {
            byte[] bytes = URLDecoder.decode(data.replace("+", "%2B"), StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
            return Base64.getEncoder().encodeToString(bytes);
        } catch (IllegalArgumentException e) {
            throw new NonRetriableModelException.InvalidRequest("an image's data: URL is neither base64 nor validly"
                    + " percent-encoded: " + e.getMessage());
        }
    }
}
