package dev.weft.rag.extractors.internal;

import dev.weft.spi.rag.ExtractionException;

/**
 * The three ways an extraction fails, each with a stable code.
 *
 * <ul>
 * <li>{@code document_limit}: the file or what it expands to is larger than allowed (input
 * bytes, extracted characters, archive entries, uncompressed bytes, inflate ratio, nesting).</li>
 * <li>{@code document_unreadable}: damaged, encrypted, or not parseable as its kind.</li>
 * <li>{@code document_type_mismatch}: the bytes are of another kind than the extractor reads (an
 * HTML page named {@code report.pdf}); the message says what the content looks like.</li>
 * </ul>
 *
 * <p>Messages are for users: they name the file as the user called it and never carry server paths,
 * library stack details or document content.
 */
final class Errors {

    static final String LIMIT = "document_limit";
    static final String UNREADABLE = "document_unreadable";
    static final String TYPE_MISMATCH = "document_type_mismatch";

    private Errors() {
    }

    static ExtractionException limit(String message) {
        return new ExtractionException(LIMIT, message, null);
    }

    static ExtractionException unreadable(String message, Throwable cause) {
        return new ExtractionException(UNREADABLE, message, cause);
    }

    static ExtractionException mismatch(String message) {
        return new ExtractionException(TYPE_MISMATCH, message, null);
    }

    /** The user's file name, shortened and stripped of control characters, for messages. */
    static String name(String fileName) {
        String cleaned = fileName.replaceAll("[\\p{Cntrl}\\p{Cf}]", "");
        return cleaned.length() > 80 ? cleaned.substring(0, 77) + "..." : cleaned;
    }
}
