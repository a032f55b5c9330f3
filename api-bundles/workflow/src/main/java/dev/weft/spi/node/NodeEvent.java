package dev.weft.spi.node;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Something a node reports while it runs. New kinds of event may be added in minor versions:
 * handle the ones you know and ignore the rest.
 */
@ProviderType
public sealed interface NodeEvent {

    /**
     * A piece of text the node streams into one of its outputs, for example an LLM's answer as it
     * is generated. The node still returns the whole text as that output when it finishes.
     *
     * @param output the name of the output variable the text belongs to
     * @param text the new piece, not the whole text so far
     */
    @ProviderType
    record TextChunk(String output, String text) implements NodeEvent {
        public TextChunk {
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(text, "text");
        }
    }
}
