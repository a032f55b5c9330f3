package dev.weft.rag.chunker.internal;

import dev.weft.spi.rag.TokenCounter;
import java.util.Optional;

/**
 * Cuts the head of a text that fits a token budget: Dify's full-document parent keeps the first
 * 10,000 tokens and drops the rest.
 */
final class TokenBudget {

    /** How far back from the exact cut a word or sentence end is looked for. */
    private static final int BOUNDARY_WINDOW = 200;

    private TokenBudget() {
    }

    /**
     * The longest head of {@code text} of at most {@code budget} tokens, ended at a blank or a
     * Chinese or Japanese punctuation mark when one is near the cut; empty for blank text.
     */
    static Optional<RecursiveSplitter.Piece> head(String text, int budget, TokenCounter counter) {
        String stripped = text.strip();
        if (stripped.isEmpty()) {
            return Optional.empty();
        }
        // a text far longer than the budget holds in prose is not counted whole (a long run of letters
        // is slow to encode); the search then starts from four characters a token
        int total = stripped.length() > (long) budget * 32 ? -1 : counter.count(stripped);
        if (total >= 0 && total <= budget) {
            return Optional.of(new RecursiveSplitter.Piece(stripped, total));
        }
        int cut = longestFittingPrefix(stripped, budget, counter, total);
        int nicer = boundaryBefore(stripped, cut);
        String head = stripped.substring(0, nicer).strip();
        int tokens = counter.count(head);
        if (head.isEmpty() || tokens > budget) {
            head = stripped.substring(0, cut).strip();
            tokens = counter.count(head);
        }
        return head.isEmpty() ? Optional.empty() : Optional.of(new RecursiveSplitter.Piece(head, tokens));
    }

    /**
     * The longest prefix of at most {@code budget} tokens. Secant steps from below first: each
     * count predicts, from its characters per token, the length that reaches the budget, so the
     * counter mostly reads prefixes near the answer rather than the whole text. Once a step
     * overshoots, bisection between the longest prefix known to fit and the shortest known not to.
     *
     * @param total the whole text's count, or -1 when it was not counted
     */
    private static int longestFittingPrefix(String text, int budget, TokenCounter counter, int total) {
        int length = text.length();
        int lo = 0; // known to fit
        int hi = total > budget ? length : length + 1; // known not to fit (length + 1: not known yet)
        long predicted = total > 0 ? (long) length * budget / total : budget * 4L;
        int probe = safe(text, (int) Math.max(1, Math.min(hi - 1L, predicted)));
        while (probe > lo) {
            int count = counter.count(text.substring(0, probe));
            if (count > budget) {
                hi = probe;
                break;
            }
            lo = probe;
            if (lo == length) {
                return length;
            }
            long next = Math.max((long) lo * budget / Math.max(1, count), lo + Math.max(1, lo / 64));
            probe = safe(text, (int) Math.min(hi - 1L, next));
        }
        while (hi - lo > 1 && lo < length) {
            int mid = safe(text, (lo + hi) >>> 1);
            if (mid <= lo) {
                break;
            }
            if (fits(text, mid, budget, counter)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static boolean fits(String text, int length, int budget, TokenCounter counter) {
        return counter.count(text.substring(0, safe(text, length))) <= budget;
    }

    /** Never cuts a surrogate pair in two. */
    private static int safe(String text, int length) {
        return length > 0 && length < text.length() && Character.isLowSurrogate(text.charAt(length))
                ? length - 1 : length;
    }

    private static int boundaryBefore(String text, int cut) {
        for (int p = cut; p > Math.max(0, cut - BOUNDARY_WINDOW); p--) {
            char c = text.charAt(p - 1);
            if (Character.isWhitespace(c) || "。！？；，、".indexOf(c) >= 0) {
                return p;
            }
        }
        return cut;
    }
}
