package dev.weft.rag.chunker.internal;

import dev.weft.spi.rag.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts text into pieces of at most {@code max_tokens} tokens, the way Dify's fixed-separator
 * recursive splitter does, with overlap measured in tokens.
 *
 * <ol>
 * <li>The configured separator cuts the text into blocks. Blocks are hard boundaries, as in Dify: a
 * block that fits is one chunk on its own (small blocks are not joined, so a separator such as
 * {@code "***"} between FAQ entries gives one entry per chunk), and overlap never crosses a block
 * boundary.</li>
 * <li>A block over the limit is cut into units, coarse to fine, only as far as needed: paragraphs,
 * lines, sentences ({@code 。！？} or {@code .!?} and a blank), clauses ({@code ；，、} or
 * {@code ;,} and a blank), words, and finally single characters (a word longer than the limit).
 * Each unit keeps its trailing separator, so joining units gives back the text exactly.</li>
 * <li>Units are joined in order into chunks of as many as fit in {@code max_tokens} (a chunk
 * within 2% of the limit counts as full; see {@link Cut}). The next chunk starts
 * with the end of the previous one: the longest tail, beginning at a word (or, in Chinese and
 * Japanese, at any character), of at most {@code chunk_overlap} tokens.</li>
 * </ol>
 *
 * <p>Every chunk's count is checked with the real counter, so no chunk is over the limit whatever
 * the tokenizer (the single exception is one character that alone is over it, which cannot be
 * cut). Unit counts added up guess where a chunk ends and a few real counts settle it, which
 * keeps the counting work at a small multiple of the text's length; a text far too long to fit
 * (over {@value #MAX_CHARS_PER_TOKEN} characters a token) is cut without being counted whole.
 */
final class RecursiveSplitter {

    /** A cut piece: its text, trimmed, and its token count by the counter. */
    record Piece(String content, int tokens) {
    }

    private record Unit(String text, int tokens) {
    }

    /** Coarse to fine; a split point is the end of a match. Single characters come after these. */
    private static final List<Pattern> LEVELS = List.of(
            Pattern.compile("\n{2,}"),
            Pattern.compile("\n"),
            Pattern.compile("[。！？]+[」』”’）)]*\\s*|[.!?]+[\"'”’)\\]]*\\s+"),
            Pattern.compile("[；，、]+\\s*|[;,]\\s+"),
            Pattern.compile("\\s+"));

    private static final int MAX_CHARS_PER_TOKEN = 32;

    /** How far back (in characters per token of overlap) the overlap tail is looked for. */
    private static final int TAIL_CHARS_PER_TOKEN = 24;

    private final String separator;
    private final int max;
    private final int overlap;
    private final TokenCounter counter;
    /** A chunk this close to the limit (2%) is full: creeping closer would cost a count per unit. */
    private final int fullEnough;

    RecursiveSplitter(Segmentation segmentation, TokenCounter counter) {
        this.separator = segmentation.separator();
        this.max = segmentation.maxTokens();
        this.overlap = segmentation.chunkOverlap();
        this.counter = counter;
        this.fullEnough = Math.max(1, max / 50);
    }

    /**
     * Whether a text is taken as too long for a chunk without counting it: prose does not average
     * {@value #MAX_CHARS_PER_TOKEN} characters a token, and counting a long run of letters with a
     * byte-pair encoder is slow (a 2 MB word takes cl100k seconds). Only the work depends on this
     * guess: a text that fits after all (a long rule of {@code =}, 64 to a cl100k token) is cut into
     * units and joined back whole.
     */
    private boolean surelyTooLong(String text) {
        return text.length() > (long) max * MAX_CHARS_PER_TOKEN;
    }

    /** The pieces of the text in order; none for blank text. */
    List<Piece> split(String text) {
        List<Piece> out = new ArrayList<>();
        for (String block : blocks(text)) {
            String trimmed = block.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int tokens = surelyTooLong(trimmed) ? Integer.MAX_VALUE : counter.count(trimmed);
            if (tokens <= max) {
                out.add(new Piece(trimmed, tokens));
            } else {
                List<Unit> units = new ArrayList<>();
                atomize(trimmed, 0, units);
                merge(units, out);
            }
        }
        return out;
    }

    private List<String> blocks(String text) {
        if (separator.isEmpty()) {
            return List.of(text);
        }
        List<String> blocks = new ArrayList<>();
        int from = 0;
        for (int at = text.indexOf(separator); at >= 0; at = text.indexOf(separator, from)) {
            blocks.add(text.substring(from, at));
            from = at + separator.length();
        }
        blocks.add(text.substring(from));
        return blocks;
    }

    /** Cuts text into units that each fit, at the coarsest level that cuts it at all. */
    private void atomize(String text, int level, List<Unit> units) {
        for (int l = level; l < LEVELS.size(); l++) {
            List<String> parts = splitAfter(text, LEVELS.get(l));
            if (parts.size() > 1) {
                for (String part : parts) {
                    int tokens = surelyTooLong(part) ? Integer.MAX_VALUE : counter.count(part);
                    if (tokens <= max) {
                        units.add(new Unit(part, tokens));
                    } else {
                        atomize(part, l + 1, units);
                    }
                }
                return;
            }
        }
        // single characters are not counted one by one (a 2 MB blob would take 2 million calls):
        // each is taken as one token, and the exact counts while joining correct the estimate
        text.codePoints().forEach(cp -> units.add(new Unit(Character.toString(cp), 1)));
    }

    private static List<String> splitAfter(String text, Pattern pattern) {
        List<String> parts = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        int from = 0;
        while (m.find()) {
            if (m.end() > from && m.end() < text.length()) {
                parts.add(text.substring(from, m.end()));
                from = m.end();
            }
        }
        parts.add(text.substring(from));
        return parts;
    }

    /** Joins units greedily into pieces of at most {@code max} tokens, each starting with the overlap tail. */
    private void merge(List<Unit> units, List<Piece> out) {
        String tail = "";
        int i = 0;
        while (i < units.size()) {
            Cut cut = new Cut(tail, units, i);
            cut.find();
            if (!cut.content.isEmpty()) {
                out.add(new Piece(cut.content, cut.tokens));
            }
            i += cut.taken;
            tail = (i < units.size() && overlap > 0)
                    ? overlapTail(cut.raw, Math.min(overlap, max - units.get(i).tokens()))
                    : "";
        }
    }

    /**
     * Finds how many units, from {@code start}, go into one chunk after the overlap tail: the most
     * whose joined text counts at most {@code max} tokens.
     *
     * <p>Counting the joined text for every unit would cost a count per unit, so the units' own
     * counts, added up, guess how many fit, and the real counter checks the guess. Summed counts
     * overestimate (a word counted alone with its blank often takes one token more), so each check
     * also learns the ratio of real to summed tokens and scales the next guess by it. Once a guess
     * overshoots, the answer lies between the largest count known to fit and the smallest known not
     * to, and is found by interpolation on the summed counts, alternating with bisection. A chunk
     * within 2% of the limit is taken as full.
     */
    private final class Cut {

        private final List<Unit> units;
        private final int start;
        private final StringBuilder joined = new StringBuilder();
        private final List<Integer> ends = new ArrayList<>();
        /** summed[k]: the units' own counts added up, for the first k units. */
        private final List<Integer> summed = new ArrayList<>(List.of(0));

        /** The exact count of the tail with the first unit, or -1 when there is no tail. */
        private int firstTokens = -1;
        int taken;
        String raw;
        String content;
        int tokens;

        Cut(String tail, List<Unit> units, int start) {
            this.units = units;
            this.start = start;
            if (!tail.isEmpty()) {
                joined.append(tail);
                extendTo(1);
                firstTokens = counter.count(prefix(1).strip());
                if (firstTokens > max) { // the tail does not fit with the next unit: drop it
                    firstTokens = -1;
                    joined.setLength(0);
                    ends.clear();
                    summed.subList(1, summed.size()).clear();
                }
            }
        }

        void find() {
            int fit = 1; // units known (or, for one unit without tail, taken) to fit
            int fitTokens = firstTokens; // their exact count, when counted
            int over = -1; // units known not to fit, if any
            int overTokens = 0;
            double ratio = 1.0;
            int available = units.size() - start;
            for (int round = 0; ; round++) {
                if (fitTokens >= max - fullEnough || fit == available || over == fit + 1) {
                    break;
                }
                int probe;
                if (over < 0) {
                    double guess = fitTokens >= 0 ? fitTokens : units.get(start).tokens();
                    probe = fit;
                    while (probe < available && guess + units.get(start + probe).tokens() * ratio <= max) {
                        guess += units.get(start + probe).tokens() * ratio;
                        probe++;
                    }
                    probe = Math.max(probe, fit + 1);
                } else {
                    probe = round % 2 == 0
                            ? interpolate(fit, Math.max(fitTokens, 0), over, overTokens)
                            : (fit + over) >>> 1;
                }
                extendTo(probe);
                int count = counter.count(prefix(probe).strip());
                if (count <= max) {
                    ratio = fitTokens >= 0
                            ? learn(ratio, count - fitTokens, summed.get(probe) - summed.get(fit))
                            : learn(ratio, count, summed.get(probe));
                    fit = probe;
                    fitTokens = count;
                } else {
                    over = probe;
                    overTokens = count;
                }
            }
            extendTo(fit);
            taken = fit;
            raw = prefix(fit);
            content = raw.strip();
            tokens = fitTokens >= 0 ? fitTokens : counter.count(content);
        }

        /** Real tokens per summed token, from a count; kept within bounds so guesses keep moving. */
        private static double learn(double ratio, int realTokens, int summedTokens) {
            return summedTokens > 0 ? Math.clamp(realTokens / (double) summedTokens, 0.005, 200.0) : ratio;
        }

        /** The number of units, strictly between the two, at which the count should reach the target. */
        private int interpolate(int fit, int fitTokens, int over, int overTokens) {
            double target = max - fullEnough / 2.0;
            double fraction = (target - fitTokens) / Math.max(1.0, overTokens - fitTokens);
            double want = summed.get(fit) + fraction * (summed.get(over) - summed.get(fit));
            int k = fit + 1;
            while (k < over - 1 && summed.get(k) < want) {
                k++;
            }
            return k;
        }

        private void extendTo(int count) {
            while (ends.size() < count) {
                Unit unit = units.get(start + ends.size());
                joined.append(unit.text());
                ends.add(joined.length());
                summed.add(summed.getLast() + unit.tokens());
            }
        }

        private String prefix(int count) {
            return joined.substring(0, ends.get(count - 1));
        }
    }

    /**
     * The longest end of {@code raw} that starts at a word (or a Chinese or Japanese character), is
     * not all of it, and counts at most {@code budget} tokens once trimmed; empty if none.
     */
    private String overlapTail(String raw, int budget) {
        if (budget <= 0) {
            return "";
        }
        int contentStart = 0;
        while (contentStart < raw.length() && Character.isWhitespace(raw.charAt(contentStart))) {
            contentStart++;
        }
        int from = Math.max(contentStart + 1, raw.length() - budget * TAIL_CHARS_PER_TOKEN);
        List<Integer> starts = new ArrayList<>(); // from the end backwards: ever longer tails
        for (int p = raw.length() - 1; p >= from; p--) {
            if (isTailStart(raw, p)) {
                starts.add(p);
            }
        }
        // counts grow with the tail: gallop to the first tail over the budget, then bisect
        int fits = -1;
        int over = starts.size();
        for (int step = 1, probe = 0; probe < starts.size(); probe = fits + step, step *= 2) {
            if (counter.count(raw.substring(starts.get(probe)).strip()) <= budget) {
                fits = probe;
            } else {
                over = probe;
                break;
            }
        }
        while (over - fits > 1) {
            int mid = (fits + over) >>> 1;
            if (counter.count(raw.substring(starts.get(mid)).strip()) <= budget) {
                fits = mid;
            } else {
                over = mid;
            }
        }
        return fits < 0 ? "" : raw.substring(starts.get(fits));
    }

    private static boolean isTailStart(String raw, int p) {
        char c = raw.charAt(p);
        if (Character.isWhitespace(c) || Character.isLowSurrogate(c)) {
            return false;
        }
        int before = raw.codePointBefore(p);
        return Character.isWhitespace(before) || isCjk(raw.codePointAt(p)) || isCjk(before);
    }

    /** Chinese and Japanese script and their punctuation, which are written without spaces. */
    static boolean isCjk(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        if (script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA) {
            return true;
        }
        Character.UnicodeBlock block = Character.UnicodeBlock.of(codePoint);
        return block == Character.UnicodeBlock.CJK_SYMBOLS_AND_PUNCTUATION
                || block == Character.UnicodeBlock.HALFWIDTH_AND_FULLWIDTH_FORMS;
    }
}
