package dev.weft.spi.model;

import org.osgi.annotation.versioning.ProviderType;

/** Why a chat model stopped writing. */
@ProviderType
public enum FinishReason {
    /** It was done, or hit a stop sequence. */
    STOP,
    /** It hit the token limit. */
    LENGTH,
    /** It wants tools called. */
    TOOL_CALLS,
    /** The vendor's content filter cut it off. */
    CONTENT_FILTER,
    /** Any other reason. */
    OTHER
}
