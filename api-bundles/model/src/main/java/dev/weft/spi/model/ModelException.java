package dev.weft.spi.model;

import dev.weft.api.core.WeftException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A model call failed. Every failure is either a {@link RetriableModelException} or a
 * {@link NonRetriableModelException}; the platform retries, falls back and reports by that type.
 * Messages must not carry credentials.
 */
@ProviderType
public abstract sealed class ModelException extends WeftException
        permits RetriableModelException, NonRetriableModelException {

    private static final long serialVersionUID = 1L;

    protected ModelException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /** Whether the same call may succeed if tried again later. */
    public abstract boolean isRetriable();
}
