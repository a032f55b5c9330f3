package dev.weft.rag.chunker.internal;

import java.util.Map;
import java.util.Set;

/**
 * Dify's {@code segmentation} (and {@code subchunk_segmentation}) rule: the separator that cuts
 * the text into blocks, the largest chunk in tokens, and the overlap between consecutive chunks.
 *
 * <p>Limits are Dify's: {@code max_tokens} from 50 to 4000
 * ({@code INDEXING_MAX_SEGMENTATION_TOKENS_LENGTH}); the overlap must be smaller than the chunk.
 * The separator is taken literally, after its escapes are read ({@code "\\n"} is a line break), as
 * Dify's form sends it escaped; an empty separator means "no fixed separator".
 *
 * @param separator the fixed separator, unescaped
 * @param maxTokens the largest chunk, in tokens
 * @param chunkOverlap tokens of text the next chunk repeats from the previous one, at most
 */
record Segmentation(String separator, int maxTokens, int chunkOverlap) {

    static final int MIN_TOKENS = 50;
    static final int MAX_TOKENS = 4000;
    static final int MAX_SEPARATOR_LENGTH = 100;

    private static final Set<String> KEYS = Set.of("separator", "max_tokens", "chunk_overlap");

    Segmentation {
        if (maxTokens < MIN_TOKENS || maxTokens > MAX_TOKENS) {
            throw new IllegalArgumentException("max_tokens must be between " + MIN_TOKENS + " and " + MAX_TOKENS
                    + ", got " + maxTokens);
        }
        if (chunkOverlap < 0 || chunkOverlap >= maxTokens) {
            throw new IllegalArgumentException("chunk_overlap must be at least 0 and smaller than max_tokens ("
                    + maxTokens + "), got " + chunkOverlap);
        }
    }

    /** Reads a segmentation object; missing fields take the given defaults. */
    static Segmentation parse(Object value, String path, Segmentation defaults) {
        Map<String, Object> object = ConfigReader.object(value, path);
        ConfigReader.onlyKeys(object, path, KEYS);
        String separator = ConfigReader.string(object, "separator", path).map(Segmentation::unescape)
                .orElse(defaults.separator());
        if (separator.length() > MAX_SEPARATOR_LENGTH) {
            throw new IllegalArgumentException(path + ".separator is longer than " + MAX_SEPARATOR_LENGTH
                    + " characters");
        }
        int maxTokens = ConfigReader.integer(object, "max_tokens", path).orElse(defaults.maxTokens());
        int overlap = ConfigReader.integer(object, "chunk_overlap", path).orElse(defaults.chunkOverlap());
        try {
            return new Segmentation(separator, maxTokens, overlap);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + "." + e.getMessage(), e);
        }
    }

    /**
     * Reads the escapes Dify's form sends: {@code \n}, {@code \t}, {@code \r} and {@code \\}. Any
     * other backslash stays as it is.
     */
    static String unescape(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(i + 1);
                switch (next) {
                    case 'n' -> { out.append('\n'); i++; }
                    case 't' -> { out.append('\t'); i++; }
                    case 'r' -> { out.append('\r'); i++; }
                    case '\\' -> { out.append('\\'); i++; }
                    default -> out.append(c);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
