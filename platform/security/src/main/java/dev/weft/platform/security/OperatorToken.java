package dev.weft.platform.security;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The operator's token: a random secret the server keeps in {@code WEFT_HOME/conf/operator.token},
 * readable by its owner only, for operator commands ({@code bin/weft app deploy}) that talk to the
 * running server.
 */
@ProviderType
public interface OperatorToken {

    /** The file's name under {@code WEFT_HOME/conf}. */
    String FILE = "operator.token";

    /**
     * Whether this is the operator token, compared in constant time; surrounding whitespace (a line
     * break read from the file) is ignored; null and blank never match.
     */
    boolean matches(String token);
}
