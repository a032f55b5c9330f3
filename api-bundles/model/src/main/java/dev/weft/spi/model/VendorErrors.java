package dev.weft.spi.model;

import dev.weft.api.http.EgressException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A vendor's HTTP failures as this SPI's failures, the same way for every provider: a provider
 * reads the vendor's own error body for its message (and its special cases: a quota code, a
 * content filter), and leaves the rest to these.
 *
 * @since 1.1
 */
@ProviderType
public final class VendorErrors {

    /** What stands in for the key wherever a vendor's message quotes it. */
    public static final String MASKED_KEY = "[api key]";

    private VendorErrors() {
    }

    /**
     * The failure an HTTP status means: 401 and 403 the key refused, 402 no credit left, 404 no
     * such model (or route), 429 rate limited (with the vendor's wait), 408, 504 timed out, 499 (a
     * request cancelled on the way) and 5xx unavailable, anything else a request the vendor will
     * not take.
     *
     * @param text what the failure says: the status and the vendor's message, with no secret in it
     * @param retryAfter how long the vendor asked to wait before the next call, or null
     */
    public static ModelException ofStatus(int status, String text, Duration retryAfter) {
        return switch (status) {
            case 401, 403 -> new NonRetriableModelException.AuthenticationFailed(text);
            case 402 -> new NonRetriableModelException.QuotaExceeded(text);
            case 404 -> new NonRetriableModelException.ModelNotFound(text);
            case 429 -> new RetriableModelException.RateLimited(text, retryAfter);
            case 408, 504 -> new RetriableModelException.Timeout(text, null);
            case 499 -> new RetriableModelException.Unavailable(text, null);
            default -> status >= 500
                    ? new RetriableModelException.Unavailable(text, null)
                    : new NonRetriableModelException.InvalidRequest(text);
        };
    }

    /**
     * The failure the platform's egress guard reported: a timeout or a broken connection may pass,
     * a destination the guard refuses will not.
     */
    public static ModelException ofEgress(EgressException e) {
        return switch (e.code()) {
            case EgressException.TIMEOUT -> new RetriableModelException.Timeout(e.getMessage(), e);
            case EgressException.FAILED -> new RetriableModelException.Unavailable(e.getMessage(), e);
            default -> new NonRetriableModelException.InvalidRequest(e.getMessage());
        };
    }

    /**
     * A {@code Retry-After} header (seconds, or an HTTP date) as a wait; null when absent or
     * unreadable, zero for a date already past.
     */
    public static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        try {
            double seconds = Double.parseDouble(value);
            return seconds < 0 || Double.isNaN(seconds) ? null : Duration.ofMillis((long) (seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration wait = Duration.between(Instant.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /**
     * A vendor's text fit to show: every occurrence of the key replaced by {@link #MASKED_KEY}
     * (before the text is shortened, so that no part of the key remains), then cut to
     * {@code max} characters.
     */
    public static String readable(String text, String key, int max) {
        String masked = text == null ? "" : text;
        if (key != null && !key.isEmpty()) {
            masked = masked.replace(key, MASKED_KEY);
        }
        return masked.length() > max ? masked.substring(0, max) + "…" : masked;
    }
}
