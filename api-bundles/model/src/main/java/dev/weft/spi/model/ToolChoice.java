package dev.weft.spi.model;

import org.osgi.annotation.versioning.ProviderType;

/** Whether the model may, must or must not call tools. */
@ProviderType
public enum ToolChoice {
    AUTO,
    NONE,
    REQUIRED
}
