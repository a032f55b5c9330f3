package dev.weft.rag.lucene.internal;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * The analyzer of the {@code auto} language: one chain that serves English, the European languages,
 * Chinese, Japanese and Korean in the same knowledge base, without guessing each text's language.
 *
 * <ol>
 *   <li>{@link StandardTokenizer} (Unicode word boundaries, UAX #29): words for alphabetic scripts,
 *       one token per Han character or hiragana, runs of katakana, Hangul words.</li>
 *   <li>{@link CJKWidthFilter}: full-width Latin letters and digits become ordinary ones, half-width
 *       katakana become full-width, so that both spellings meet.</li>
 *   <li>{@link LowerCaseFilter}.</li>
 *   <li>{@link CJKBigramFilter}: adjacent Han, hiragana, katakana and Hangul tokens become
 *       overlapping bigrams (a lone character stays a unigram), which finds Chinese and Japanese words
 *       without a dictionary.</li>
 *   <li>{@link EnglishPossessiveFilter} then {@link EnglishMinimalStemFilter}: only a trailing
 *       {@code 's} and plural {@code -s/-es/-ies} are removed. Both act only on tokens that end in
 *       the Latin letter s, so CJK bigrams are never touched, and removing a plural s is also right for
 *       most Romance and Germanic plurals. A full stemmer (Porter, Snowball) is English-only and
 *       would mangle other languages' words, so it is left to the {@code en} setting.</li>
 *   <li>{@link ASCIIFoldingFilter}: accents are folded ({@code café} finds {@code cafe}), as people
 *       often type European words without them. It only maps Latin (and some symbol) characters.</li>
 * </ol>
 *
 * <p>No stop words: a list for one language removes real words of another ({@code die}, {@code no},
 * {@code in}), and BM25's idf already gives very common words almost no weight.
 */
final class AutoAnalyzer extends Analyzer {

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        StandardTokenizer source = new StandardTokenizer();
        TokenStream stream = new CJKWidthFilter(source);
        stream = new LowerCaseFilter(stream);
        stream = new CJKBigramFilter(stream);
        stream = new EnglishPossessiveFilter(stream);
        stream = new EnglishMinimalStemFilter(stream);
        stream = new ASCIIFoldingFilter(stream);
        return new TokenStreamComponents(source, stream);
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new ASCIIFoldingFilter(new LowerCaseFilter(new CJKWidthFilter(in)));
    }
}
