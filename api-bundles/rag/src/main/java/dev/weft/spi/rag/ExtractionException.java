package dev.weft.spi.rag;

import dev.weft.api.core.WeftException;

/** A document could not be read; the message says why, for the user. */
public class ExtractionException extends WeftException {

    private static final long serialVersionUID = 1L;

    public ExtractionException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
