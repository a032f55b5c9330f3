package dev.weft.rag.lucene.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.ja.JapaneseAnalyzer;

/**
 * How a knowledge base's text is cut into words: the {@code language} setting of an index.
 *
 * <p>The language is chosen when the index is created and stored with it, because the words in
 * the index are whatever this analyzer produced: searching with another analyzer would miss them.
 * Changing it therefore means dropping the index and indexing the documents again.
 */
enum TextLanguage {
    /** Mixed English, European, Chinese, Japanese and Korean text: {@link AutoAnalyzer}. */
    AUTO("auto"),
    /** English: Porter stemming and English stop words. */
    EN("en"),
    /** Simplified Chinese: smartcn's word segmentation (a hidden Markov model over a dictionary). */
    ZH("zh"),
    /** Japanese: kuromoji's morphological analysis, search mode (compounds also split). */
    JA("ja"),
    /** Chinese, Japanese and Korean without a dictionary: overlapping bigrams. */
    CJK("cjk");

    private final String id;

    TextLanguage(String id) {
        this.id = id;
    }

    /** The setting's value, as stored in the index and in {@code IndexSpec.settings.language}. */
    String id() {
        return id;
    }

    /** A new analyzer; analyzers are thread-safe, one per open index is enough. */
    Analyzer newAnalyzer() {
        return switch (this) {
            case AUTO -> new AutoAnalyzer();
            case EN -> new EnglishAnalyzer();
            case ZH -> new SmartChineseAnalyzer();
            case JA -> new JapaneseAnalyzer();
            case CJK -> new CJKAnalyzer();
        };
    }

    /**
     * The language a setting names.
     *
     * @throws IllegalArgumentException with the accepted values when it names none
     */
    static TextLanguage of(String setting) {
        String wanted = setting.trim().toLowerCase(Locale.ROOT);
        for (TextLanguage language : values()) {
            if (language.id.equals(wanted)) {
                return language;
            }
        }
        throw new IllegalArgumentException("unknown index language '" + setting + "'; use one of "
                + Arrays.stream(values()).map(TextLanguage::id).collect(Collectors.joining(", ")));
    }
}
