package dev.weft.spi.model;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Tokens a model call read and wrote, as the vendor counted them.
 *
 * @param promptTokens tokens read
 * @param completionTokens tokens written, reasoning included
 */
@ProviderType
public record Usage(long promptTokens, long completionTokens) {

    /** No tokens, for calls whose vendor reports none. */
    public static final Usage NONE = new Usage(0, 0);

    public Usage {
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /** The sum of two usages, for calls made in several requests. */
    public Usage plus(Usage other) {
        return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens);
    }
}
