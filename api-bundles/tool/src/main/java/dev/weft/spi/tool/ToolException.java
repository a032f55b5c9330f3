package dev.weft.spi.tool;

import dev.weft.api.core.WeftException;
import org.osgi.annotation.versioning.ProviderType;

/** A tool failed; the message is shown to the caller (a model or a user). */
@ProviderType
public class ToolException extends WeftException {

    private static final long serialVersionUID = 1L;

    public ToolException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
