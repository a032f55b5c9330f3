package dev.weft.spi.node;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A read-only view of a run's variable pool, as a node sees it while it executes.
 */
@ProviderType
public interface VariableView {

    /**
     * The value at a selector: a JSON value, or a file descriptor for file variables. Empty when
     * the node or variable does not exist in this run, or the path leads nowhere.
     */
    Optional<Object> get(VariableSelector selector);

    /**
     * Replaces every {@code {{#node.var.path#}}} reference in {@code template} with the variable's
     * text form (strings as they are, other values as JSON); references to missing variables become
     * empty text, as in Dify.
     */
    String render(String template);
}
