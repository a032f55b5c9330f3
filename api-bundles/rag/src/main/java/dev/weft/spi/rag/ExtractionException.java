package dev.weft.spi.rag;

import dev.weft.api.core.WeftException;
import org.osgi.annotation.versioning.ProviderType;

/** A document could not be read; the message says why, for the user. */
@ProviderType
public class ExtractionException extends WeftException {

    private static final long serialVersionUID = 1L;

    public ExtractionException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
