package dev.weft.api.sandbox;

import dev.weft.api.core.WeftException;
import org.osgi.annotation.versioning.ProviderType;

/** Guest code that failed, broke a limit, or could not be run. */
@ProviderType
public class SandboxException extends WeftException {
    private static final long serialVersionUID = 1L;

    /** The guest raised an error (syntax, a name, a type, its own exception). */
    public static final String CODE_ERROR = "code_error";
    /** The guest tried something the sandbox forbids: a module outside the allowed list, a file, a process. */
    public static final String VIOLATION = "sandbox_violation";
    /** The run passed its time limit and was stopped. */
    public static final String TIMEOUT = "sandbox_timeout";
    /** The run needed more memory than the sandbox allows. */
    public static final String MEMORY = "sandbox_memory";
    /** The returned value is larger or deeper than the sandbox allows. */
    public static final String OUTPUT_TOO_LARGE = "output_too_large";
    /** The sandbox does not run this language. */
    public static final String LANGUAGE = "unsupported_language";
    /** Every sandbox worker stayed busy for longer than a run may wait. */
    public static final String BUSY = "sandbox_busy";
    /** The sandbox cannot run code at all (its runtime is missing or does not start). */
    public static final String UNAVAILABLE = "sandbox_unavailable";

    public SandboxException(String code, String message) {
        super(code, message);
    }

    public SandboxException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
