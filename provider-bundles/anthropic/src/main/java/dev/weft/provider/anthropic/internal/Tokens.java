package dev.weft.provider.anthropic.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.spi.model.Usage;

/**
 * Token counts as Anthropic reports them, field by field: a stream's {@code message_start} gives
 * the input counts and {@code message_delta} the (cumulative) output count, and may repeat the
 * input counts. Prompt tokens are input plus cache-creation plus cache-read tokens, since
 * Anthropic counts cached prompt tokens apart from {@code input_tokens}.
 */
final class Tokens {

    private long input;
    private long cacheCreation;
    private long cacheRead;
    private long output;

    /** Takes the counts this {@code usage} object has; keeps the others. */
    Tokens read(JsonNode usage) {
        input = count(usage, "input_tokens", input);
        cacheCreation = count(usage, "cache_creation_input_tokens", cacheCreation);
        cacheRead = count(usage, "cache_read_input_tokens", cacheRead);
        output = count(usage, "output_tokens", output);
        return this;
    }

    private static long count(JsonNode usage, String field, long before) {
        JsonNode value = usage.path(field);
        return value.canConvertToLong() ? Math.max(0, value.asLong()) : before;
    }

    Usage usage() {
        return new Usage(input + cacheCreation + cacheRead, output);
    }
}
