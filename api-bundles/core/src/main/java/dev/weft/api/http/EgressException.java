package dev.weft.api.http;

import dev.weft.api.core.WeftException;
import org.osgi.annotation.versioning.ProviderType;

/** An outbound request that was refused or failed. The message never contains header values. */
@ProviderType
public class EgressException extends WeftException {
    private static final long serialVersionUID = 1L;

    /** The policy refused the URL, its port, or an address its host resolves to. */
    public static final String BLOCKED = "egress_blocked";
    /** The URL is not one the guard accepts (syntax, scheme, credentials, characters). */
    public static final String INVALID_URL = "invalid_url";
    /** Connecting, reading or the whole exchange took longer than allowed. */
    public static final String TIMEOUT = "egress_timeout";
    /** The response body is larger than the request allows. */
    public static final String TOO_LARGE = "response_too_large";
    /** More redirects than the request allows. */
    public static final String REDIRECTS = "too_many_redirects";
    /** The connection or the exchange failed (refused, reset, TLS, protocol). */
    public static final String FAILED = "egress_failed";

    public EgressException(String code, String message) {
        super(code, message);
    }

    public EgressException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
