package dev.weft.spi.model;

import java.time.Duration;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A model call failed for a reason that may pass: the platform retries it with backoff.
 */
@ProviderType
public abstract sealed class RetriableModelException extends ModelException
        permits RetriableModelException.RateLimited, RetriableModelException.Unavailable,
        RetriableModelException.Timeout {

    private static final long serialVersionUID = 1L;

    protected RetriableModelException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }

    @Override
    public final boolean isRetriable() {
        return true;
    }

    /** The vendor refused the call for now (HTTP 429), possibly saying when to come back. */
    @ProviderType
    public static final class RateLimited extends RetriableModelException {
        private static final long serialVersionUID = 1L;
        private final Duration retryAfter;

        public RateLimited(String message, Duration retryAfter) {
            super("rate_limited", message, null);
            this.retryAfter = retryAfter;
        }

        /** How long the vendor asked to wait, when it said. */
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    /** The vendor is down, overloaded or answered with a server error, or the connection broke. */
    @ProviderType
    public static final class Unavailable extends RetriableModelException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message, Throwable cause) {
            super("model_unavailable", message, cause);
        }
    }

    /** The vendor did not answer in time. */
    @ProviderType
    public static final class Timeout extends RetriableModelException {
        private static final long serialVersionUID = 1L;

        public Timeout(String message, Throwable cause) {
            super("model_timeout", message, cause);
        }
    }
}
