package dev.weft.provider.local.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BERT's tokenizer as a Hugging Face {@code tokenizer.json} describes it: text cleaned, Chinese
 * characters spaced, lower-cased and accents stripped, split on white space and punctuation, each
 * word cut into the longest vocabulary pieces ({@code ##} for continuations), framed by
 * {@code [CLS]} and {@code [SEP]} and truncated to the model's length.
 */
final class WordPiece {

    private final Map<String, Integer> vocabulary;
    private final int unknown;
    private final int cls;
    private final int sep;
    private final boolean lowercase;
    private final int maxCharsPerWord;

    private WordPiece(Map<String, Integer> vocabulary, boolean lowercase, int maxCharsPerWord) {
        this.vocabulary = vocabulary;
        this.lowercase = lowercase;
        this.maxCharsPerWord = maxCharsPerWord;
        this.unknown = id("[UNK]");
        this.cls = id("[CLS]");
        this.sep = id("[SEP]");
    }

    static WordPiece read(InputStream json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        JsonNode model = root.path("model");
        if (!"WordPiece".equals(model.path("type").asText())) {
            throw new IOException("not a WordPiece tokenizer: " + model.path("type").asText());
        }
        Map<String, Integer> vocabulary = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> entries = model.path("vocab").fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            vocabulary.put(entry.getKey(), entry.getValue().asInt());
        }
        boolean lowercase = root.path("normalizer").path("lowercase").asBoolean(true);
        return new WordPiece(vocabulary, lowercase, model.path("max_input_chars_per_word").asInt(100));
    }

    private int id(String token) {
        Integer id = vocabulary.get(token);
        if (id == null) {
            throw new IllegalStateException("the vocabulary has no " + token);
        }
        return id;
    }

    /** The token ids of a text, with {@code [CLS]} and {@code [SEP]}, at most {@code maxLength} in all. */
    long[] encode(String text, int maxLength) {
        List<Integer> ids = new ArrayList<>();
        ids.add(cls);
        for (String word : words(normalize(text))) {
            if (ids.size() >= maxLength - 1) {
                break;
            }
            pieces(word, ids);
        }
        if (ids.size() > maxLength - 1) {
            ids = ids.subList(0, maxLength - 1);
        }
        long[] out = new long[ids.size() + 1];
        for (int i = 0; i < ids.size(); i++) {
            out[i] = ids.get(i);
        }
        out[ids.size()] = sep;
        return out;
    }

    private String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == 0 || c == 0xFFFD || isControl(c)) {
                continue;
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                out.append(' ');
            } else if (isChinese(c)) {
                out.append(' ').appendCodePoint(c).append(' ');
            } else {
                out.appendCodePoint(c);
            }
        }
        String cleaned = out.toString();
        if (lowercase) {
            cleaned = cleaned.toLowerCase(Locale.ROOT);
            String decomposed = Normalizer.normalize(cleaned, Normalizer.Form.NFD);
            StringBuilder stripped = new StringBuilder(decomposed.length());
            for (int i = 0; i < decomposed.length(); i++) {
                char ch = decomposed.charAt(i);
                if (Character.getType(ch) != Character.NON_SPACING_MARK) {
                    stripped.append(ch);
                }
            }
            cleaned = stripped.toString();
        }
        return cleaned;
    }

    /** White space and punctuation split words; each punctuation character is a word of its own. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == ' ') {
                flush(current, words);
            } else if (isPunctuation(c)) {
                flush(current, words);
                words.add(new String(Character.toChars(c)));
            } else {
                current.appendCodePoint(c);
            }
        }
        flush(current, words);
        return words;
    }

    private static void flush(StringBuilder current, List<String> words) {
        if (!current.isEmpty()) {
            words.add(current.toString());
            current.setLength(0);
        }
    }

    private void pieces(String word, List<Integer> ids) {
        if (word.codePointCount(0, word.length()) > maxCharsPerWord) {
            ids.add(unknown);
            return;
        }
        List<Integer> found = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer piece = null;
            while (start < end) {
                String candidate = (start > 0 ? "##" : "") + word.substring(start, end);
                piece = vocabulary.get(candidate);
                if (piece != null) {
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (piece == null) {
                ids.add(unknown);
                return;
            }
            found.add(piece);
            start = end;
        }
        ids.addAll(found);
    }

    private static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT;
    }

    private static boolean isPunctuation(int c) {
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }

    private static boolean isChinese(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
