package dev.weft.spi.node;

import dev.weft.api.core.WeftException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A node failed in a way the run's user should see. The engine applies the node's retry settings
 * and error strategy; the code and message are stored with the node's execution.
 */
@ProviderType
public class NodeException extends WeftException {

    private static final long serialVersionUID = 1L;

    public NodeException(String code, String message) {
        super(code, message);
    }

    public NodeException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
