package dev.weft.spi.rag;

import org.osgi.annotation.versioning.ProviderType;

/** Counts tokens of text with a real tokenizer. */
@ProviderType
@FunctionalInterface
public interface TokenCounter {

    int count(String text);
}
