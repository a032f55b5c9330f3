package dev.weft.node.llm.internal;

/**
 * Separates a model's {@code <think>...</think>} reasoning from its answer as the text streams in,
 * with tags split across chunks. Text after a lone opening tag counts as reasoning until it closes.
 */
final class ThinkSplitter {

    private static final String OPEN = "<think>";
    private static final String CLOSE = "</think>";

    private final StringBuilder answer = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final StringBuilder pending = new StringBuilder();
    private boolean thinking;

    /** Feeds a chunk; returns the part of it that belongs to the answer (maybe empty). */
    String feed(String chunk) {
        pending.append(chunk);
        StringBuilder out = new StringBuilder();
        while (true) {
            String tag = thinking ? CLOSE : OPEN;
            int at = pending.indexOf(tag);
            if (at >= 0) {
                emit(pending.substring(0, at), out);
                pending.delete(0, at + tag.length());
                thinking = !thinking;
                continue;
            }
            // keep a tail that might be the start of a tag
            int keep = partialTag(pending, tag);
            emit(pending.substring(0, pending.length() - keep), out);
            pending.delete(0, pending.length() - keep);
            return out.toString();
        }
    }

    /** Ends the stream: whatever is held back belongs where it was. */
    String finish() {
        StringBuilder out = new StringBuilder();
        emit(pending.toString(), out);
        pending.setLength(0);
        return out.toString();
    }

    String answer() {
        return answer.toString().strip();
    }

    String reasoning() {
        return reasoning.toString().strip();
    }

    private void emit(String text, StringBuilder out) {
        if (text.isEmpty()) {
            return;
        }
        if (thinking) {
            reasoning.append(text);
        } else {
            answer.append(text);
            out.append(text);
        }
    }

    private static int partialTag(StringBuilder text, String tag) {
        for (int n = Math.min(tag.length() - 1, text.length()); n > 0; n--) {
            if (text.substring(text.length() - n).equals(tag.substring(0, n))) {
                return n;
            }
        }
        return 0;
    }
}
