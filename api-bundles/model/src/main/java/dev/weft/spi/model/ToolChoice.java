package dev.weft.spi.model;

/** Whether the model may, must or must not call tools. */
public enum ToolChoice {
    AUTO,
    NONE,
    REQUIRED
}
