package dev.weft.spi.rag;

/** How to search a knowledge index. */
public enum SearchMode {
    /** By meaning: nearest vectors. */
    SEMANTIC,
    /** By words: BM25 over the text. */
    FULL_TEXT,
    /** Both, fused. */
    HYBRID
}
