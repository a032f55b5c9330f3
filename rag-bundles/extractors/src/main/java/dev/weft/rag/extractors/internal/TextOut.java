package dev.weft.rag.extractors.internal;

import dev.weft.spi.rag.ExtractionException;
import java.util.regex.Pattern;

/**
 * Collects extracted text in paragraphs (separated by blank lines, which is what the chunkers split
 * on first) and stops with {@code document_limit} as soon as the text grows past its limit, before
 * the rest of the file is read.
 */
final class TextOut {

    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0E-\\x1F\\x7F-\\x9F\\uFEFF]");
    private static final Pattern TRAILING_SPACE = Pattern.compile("[ \\t\\u00A0]+\\n");
    private static final Pattern BLANK_RUN = Pattern.compile("\\n{3,}");

    private final StringBuilder text = new StringBuilder();
    private final long maxChars;
    private final String fileName;

    TextOut(long maxChars, String fileName) {
        this.maxChars = maxChars;
        this.fileName = fileName;
    }

    /** Appends text as it is (line breaks normalised, control characters removed). */
    TextOut append(CharSequence chunk) throws ExtractionException {
        if (chunk == null || chunk.isEmpty()) {
            return this;
        }
        String clean = clean(chunk);
        ensureRoom(clean.length());
        text.append(clean);
        return this;
    }

    /** Ends the current line, if anything is on it. */
    TextOut newline() throws ExtractionException {
        if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
            ensureRoom(1);
            text.append('\n');
        }
        return this;
    }

    /** Ends the current paragraph: the next text starts after a blank line. */
    TextOut endParagraph() throws ExtractionException {
        int len = text.length();
        if (len == 0) {
            return this;
        }
        if (text.charAt(len - 1) != '\n') {
            ensureRoom(2);
            text.append("\n\n");
        } else if (len < 2 || text.charAt(len - 2) != '\n') {
            ensureRoom(1);
            text.append('\n');
        }
        return this;
    }

    /** Appends a whole paragraph; blank text adds nothing. */
    TextOut paragraph(CharSequence paragraph) throws ExtractionException {
        if (paragraph == null || paragraph.toString().isBlank()) {
            return this;
        }
        endParagraph();
        append(paragraph.toString().strip());
        return endParagraph();
    }

    int length() {
        return text.length();
    }

    /** The last character collected, or a line break when nothing is. */
    char lastChar() {
        return text.isEmpty() ? '\n' : text.charAt(text.length() - 1);
    }

    /** The collected text: no trailing spaces on lines, at most one blank line in a row, trimmed. */
    String text() {
        String s = TRAILING_SPACE.matcher(text).replaceAll("\n");
        s = BLANK_RUN.matcher(s).replaceAll("\n\n");
        return s.strip();
    }

    private void ensureRoom(int more) throws ExtractionException {
        if (text.length() + (long) more > maxChars) {
            throw Errors.limit(Errors.name(fileName) + " yields more than " + Sizes.count(maxChars)
                    + " characters of text, the most this extractor accepts.");
        }
    }

    static String clean(CharSequence chunk) {
        String s = chunk.toString();
        if (s.indexOf('\r') >= 0) {
            s = s.replace("\r\n", "\n").replace('\r', '\n');
        }
        if (s.indexOf('\f') >= 0) {
            s = s.replace("\f", "\n\n");
        }
        return CONTROL.matcher(s).replaceAll("");
    }
}
