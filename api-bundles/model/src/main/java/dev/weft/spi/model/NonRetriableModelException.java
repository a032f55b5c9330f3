package dev.weft.spi.model;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A model call failed for a reason that trying again will not fix.
 */
@ProviderType
public abstract sealed class NonRetriableModelException extends ModelException
        permits NonRetriableModelException.AuthenticationFailed, NonRetriableModelException.InvalidRequest,
        NonRetriableModelException.ModelNotFound, NonRetriableModelException.ContentFiltered,
        NonRetriableModelException.QuotaExceeded {

    private static final long serialVersionUID = 1L;

    protected NonRetriableModelException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }

    @Override
    public final boolean isRetriable() {
        return false;
    }

    /** The credentials are missing, wrong, revoked or lack permission (HTTP 401, 403). */
    @ProviderType
    public static final class AuthenticationFailed extends NonRetriableModelException {
        private static final long serialVersionUID = 1L;

        public AuthenticationFailed(String message) {
            super("authentication_failed", message, null);
        }
    }

    /** The vendor refused the request itself (HTTP 400, 422), or the provider cannot express it. */
    @ProviderType
    public static final class InvalidRequest extends NonRetriableModelException {
        private static final long serialVersionUID = 1L;

        public InvalidRequest(String message) {
            super("invalid_request", message, null);
        }
    }

    /** No such model for these credentials (HTTP 404). */
    @ProviderType
    public static final class ModelNotFound extends NonRetriableModelException {
        private static final long serialVersionUID = 1L;

        public ModelNotFound(String message) {
            super("model_not_found", message, null);
        }
    }

    /** The vendor's safety system refused the input or the output. */
    @ProviderType
    public static final class ContentFiltered extends NonRetriableModelException {
        private static final long serialVersionUID = 1L;

        public ContentFiltered(String message) {
            super("content_filtered", message, null);
        }
    }

    /** The account has no credit or quota left; waiting a little will not help. */
    @ProviderType
    public static final class QuotaExceeded extends NonRetriableModelException {
        private static final long serialVersionUID = 1L;

        public QuotaExceeded(String message) {
            super("quota_exceeded", message, null);
        }
    }
}
