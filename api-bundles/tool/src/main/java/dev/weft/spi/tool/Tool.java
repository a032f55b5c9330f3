package dev.weft.spi.tool;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One action. Safe to call from many virtual threads at once.
 */
@ConsumerType
public interface Tool {

    /** Its name, arguments and purpose. */
    ToolDescriptor descriptor();

    /**
     * Performs the action.
     *
     * @throws ToolException when it fails in a way the caller (a model, a user) should see
     */
    ToolResult invoke(ToolInvocation invocation) throws ToolException;
}
