package dev.weft.api.core;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A failure that a user or an API client should see, identified by a stable code.
 *
 * <p>The code is a short snake_case word ({@code invalid_param}, {@code node_type_not_found}) that
 * clients can switch on; the message is for people and must never contain secrets, stack frames,
 * SQL or file-system paths of the server.
 */
@ProviderType
public class WeftException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;

    public WeftException(String code, String message) {
        this(code, message, null);
    }

    public WeftException(String code, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = requireCode(code);
    }

    /** The stable, machine-readable code of this failure. */
    public String code() {
        return code;
    }

    private static String requireCode(String code) {
        Objects.requireNonNull(code, "code");
        if (!code.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("error codes are snake_case words: " + code);
        }
        return code;
    }
}
