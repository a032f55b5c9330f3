package dev.weft.rag.chunker.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cleaning that runs before chunking, as Dify's clean processor does it.
 *
 * <p>Always: line breaks normalised to {@code \n} (so {@code "\n\n"} separators work on Windows
 * text — Dify does not do this), {@code <|} and {@code |>} defused to {@code <} and {@code >} (they
 * open and close special tokens such as {@code <|endoftext|>}), and control characters other than
 * tab and line feed, and U+FFFE, removed. Dify's pattern also lists {@code \xEF\xBF\xBE}, which in a
 * Python text pattern means the letters ï, ¿ and ¾; that is a bug (it deletes "¿" from Spanish), so
 * it is not copied.
 *
 * <p>{@code remove_extra_spaces}: three or more line breaks in a row become two, then a run of two
 * or more blanks (space, tab, form feed, no-break and the other Unicode spaces Dify lists) becomes
 * one space. {@code remove_urls_emails}: e-mail addresses and bare {@code http(s)} URLs are deleted;
 * the URL of a Markdown link or image ({@code [text](url)}, {@code ![alt](url)}) is kept, as newer
 * Dify versions keep it. URLs go first, so the blanks they leave behind are collapsed too (Dify
 * applies the rules in the order the list gives them).
 */
final class TextCleaner {

    private static final Pattern LINE_BREAKS = Pattern.compile("\r\n?");
    private static final Pattern MANY_NEWLINES = Pattern.compile("\n{3,}");
    private static final Pattern EMAIL = Pattern.compile("[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\\.[a-zA-Z0-9-.]+");
    /** Group 1: a Markdown link or image, kept whole; otherwise a bare URL, deleted. */
    private static final Pattern URL = Pattern.compile("(!?\\[[^\\]\\n]*\\]\\(https?://[^)\\s]+\\))|https?://\\S+");

    private TextCleaner() {
    }

    static String clean(String text, CleaningRules rules) {
        String out = text.indexOf('\r') >= 0 ? LINE_BREAKS.matcher(text).replaceAll("\n") : text;
        out = out.replace("<|", "<").replace("|>", ">");
        out = removeControls(out);
        if (rules.removeUrlsEmails()) {
            out = EMAIL.matcher(out).replaceAll("");
            out = removeBareUrls(out);
        }
        if (rules.removeExtraSpaces()) {
            out = out.contains("\n\n\n") ? MANY_NEWLINES.matcher(out).replaceAll("\n\n") : out;
            out = collapseBlanks(out);
        }
        return out;
    }

    /** Control characters other than tab and line feed, and U+FFFE, removed (a loop: no regex pass). */
    private static String removeControls(String text) {
        int first = 0;
        while (first < text.length() && !isControl(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length()).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isControl(char c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F || c == '\uFFFE';
    }

    /**
     * Runs of two or more blanks become one space, in one loop; the blanks are those of Dify's pattern
     * {@code [\t\f\r\x20\u00a0\u1680\u180e\u2000-\u200a\u202f\u205f\u3000]{2,}} (no {@code \r} is left by then).
     */
    private static String collapseBlanks(String text) {
        StringBuilder out = null;
        int i = 0;
        while (i < text.length()) {
            if (isBlank(text.charAt(i)) && i + 1 < text.length() && isBlank(text.charAt(i + 1))) {
                int end = i + 2;
                while (end < text.length() && isBlank(text.charAt(end))) {
                    end++;
                }
                if (out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                out.append(' ');
                i = end;
            } else {
                if (out != null) {
                    out.append(text.charAt(i));
                }
                i++;
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\u00a0' || c == '\u1680' || c == '\u180e'
                || (c >= '\u2000' && c <= '\u200a') || c == '\u202f' || c == '\u205f' || c == '\u3000';
    }

    private static String removeBareUrls(String text) {
        Matcher m = URL.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(out, m.group(1) != null ? Matcher.quoteReplacement(m.group(1)) : "");
        }
        m.appendTail(out);
        return out.toString();
    }
}
