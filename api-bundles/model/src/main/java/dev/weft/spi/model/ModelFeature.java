package dev.weft.spi.model;

import org.osgi.annotation.versioning.ProviderType;

/** What a model can do beyond plain text. */
@ProviderType
public enum ModelFeature {
    /** Calls tools (functions). */
    TOOL_CALL,
    /** Streams tool-call arguments as they are generated. */
    STREAM_TOOL_CALL,
    /** Reads images. */
    VISION,
    /** Answers in JSON when asked. */
    JSON_MODE,
    /** Answers in JSON that follows a given schema. */
    STRUCTURED_OUTPUT,
    /** Produces reasoning content apart from its answer. */
    REASONING
}
