package dev.weft.spi.rag;

import org.osgi.annotation.versioning.ProviderType;

/** How to search a knowledge index. */
@ProviderType
public enum SearchMode {
    /** By meaning: nearest vectors. */
    SEMANTIC,
    /** By words: BM25 over the text. */
    FULL_TEXT,
    /** Both, fused. */
    HYBRID
}
