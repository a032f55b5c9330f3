package dev.weft.rag.lucene.internal;

import dev.weft.spi.rag.MetadataFilter;
import dev.weft.spi.rag.MetadataFilter.Condition;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.LongPoint;

/**
 * Turns a {@link MetadataFilter} into a Lucene query over the fields {@link MetadataFields} writes.
 * The query only filters (it scores nothing) and is applied before ranking.
 *
 * <table>
 *   <caption>Operators</caption>
 *   <tr><th>operator</th><th>value</th><th>matches chunks whose value</th></tr>
 *   <tr><td>contains / not contains</td><td>text</td><td>contains it (as a substring), or has a
 *       text value that does not</td></tr>
 *   <tr><td>start with / end with</td><td>text</td><td>starts / ends with it</td></tr>
 *   <tr><td>is / is not</td><td>text</td><td>equals it, or has a text value that does not</td></tr>
 *   <tr><td>empty / not empty</td><td>none</td><td>is missing, null, "", [] or {} / is anything else</td></tr>
 *   <tr><td>= ≠ &gt; &lt; ≥ ≤</td><td>number</td><td>compares so; ≠ needs a number value</td></tr>
 *   <tr><td>before / after</td><td>epoch seconds or an ISO-8601 date</td><td>is a time strictly before / after</td></tr>
 * </table>
 *
 * <p>Text comparisons ignore case. As in Dify, whose filters are SQL comparisons, a negative
 * operator ({@code not contains}, {@code is not}, {@code ≠}) is false for a chunk that has no value
 * of that kind: only {@code empty} matches a missing key. With an array value, a chunk matches when
 * any element does, and a negative operator when no element does.
 */
final class MetadataFilters {

    /** The longest value a filter may compare with. */
    static final int MAX_VALUE_LENGTH = 1000;

    private MetadataFilters() {
    }

    /**
     * The query selecting the chunks a filter lets through; null when it has no condition.
     *
     * @throws IllegalArgumentException naming the condition, when a value does not suit its operator
     */
    static Query toQuery(MetadataFilter filter) {
        if (filter.conditions().isEmpty()) {
            return null;
        }
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        Occur occur = filter.logic() == MetadataFilter.Logic.AND ? Occur.FILTER : Occur.SHOULD;
        for (Condition condition : filter.conditions()) {
            all.add(toQuery(condition), occur);
        }
        if (occur == Occur.SHOULD) {
            all.setMinimumNumberShouldMatch(1);
        }
        return new ConstantScoreQuery(all.build());
    }

    static Query toQuery(Condition condition) {
        String key = condition.key();
        MetadataFields.checkKey(key);
        String keyword = MetadataFields.KEYWORD + key;
        return switch (condition.operator()) {
            case CONTAINS -> contains(keyword, text(condition));
            case NOT_CONTAINS -> without(has('s', key), contains(keyword, text(condition)));
            case START_WITH -> new PrefixQuery(new Term(keyword, text(condition)));
            case END_WITH -> new WildcardQuery(new Term(keyword, "*" + escape(text(condition))));
            case IS -> new TermQuery(new Term(keyword, text(condition)));
            case IS_NOT -> without(has('s', key), new TermQuery(new Term(keyword, text(condition))));
            case EMPTY -> without(new MatchAllDocsQuery(), has('v', key));
            case NOT_EMPTY -> has('v', key);
            case EQUAL -> DoublePoint.newExactQuery(MetadataFields.NUMBER + key, number(condition));
            case NOT_EQUAL -> without(has('n', key),
                    DoublePoint.newExactQuery(MetadataFields.NUMBER + key, number(condition)));
            case GREATER_THAN -> DoublePoint.newRangeQuery(MetadataFields.NUMBER + key,
                    Math.nextUp(number(condition)), Double.POSITIVE_INFINITY);
            case GREATER_OR_EQUAL -> DoublePoint.newRangeQuery(MetadataFields.NUMBER + key,
                    number(condition), Double.POSITIVE_INFINITY);
            case LESS_THAN -> DoublePoint.newRangeQuery(MetadataFields.NUMBER + key,
                    Double.NEGATIVE_INFINITY, Math.nextDown(number(condition)));
            case LESS_OR_EQUAL -> DoublePoint.newRangeQuery(MetadataFields.NUMBER + key,
                    Double.NEGATIVE_INFINITY, number(condition));
            case BEFORE -> before(MetadataFields.TIME + key, time(condition));
            case AFTER -> after(MetadataFields.TIME + key, time(condition));
        };
    }

    private static Query contains(String field, String text) {
        return new WildcardQuery(new Term(field, "*" + escape(text) + "*"));
    }

    private static Query before(String field, long seconds) {
        return seconds == Long.MIN_VALUE ? new BooleanQuery.Builder().build()
                : LongPoint.newRangeQuery(field, Long.MIN_VALUE, seconds - 1);
    }

    private static Query after(String field, long seconds) {
        return seconds == Long.MAX_VALUE ? new BooleanQuery.Builder().build()
                : LongPoint.newRangeQuery(field, seconds + 1, Long.MAX_VALUE);
    }

    private static Query has(char kind, String key) {
        return new TermQuery(new Term(MetadataFields.HAS, MetadataFields.has(kind, key)));
    }

    private static Query without(Query base, Query excluded) {
        return new BooleanQuery.Builder().add(base, Occur.FILTER).add(excluded, Occur.MUST_NOT).build();
    }

    private static String text(Condition condition) {
        Object value = condition.value();
        String text;
        if (value instanceof String string) {
            text = string;
        } else if (value instanceof Number number) {
            text = MetadataValues.canonical(number);
        } else if (value instanceof Boolean flag) {
            text = flag.toString();
        } else {
            throw invalid(condition, "needs a text value");
        }
        if (text.length() > MAX_VALUE_LENGTH) {
            throw invalid(condition, "compares with at most " + MAX_VALUE_LENGTH + " characters");
        }
        return MetadataValues.keyword(text);
    }

    private static double number(Condition condition) {
        OptionalDouble number = MetadataValues.number(condition.value());
        if (number.isEmpty()) {
            throw invalid(condition, "needs a number");
        }
        return number.getAsDouble();
    }

    private static long time(Condition condition) {
        OptionalLong seconds = MetadataValues.epochSeconds(condition.value());
        if (seconds.isEmpty()) {
            throw invalid(condition, "needs a time: epoch seconds or an ISO-8601 date such as 2024-05-01T10:00:00Z");
        }
        return seconds.getAsLong();
    }

    private static IllegalArgumentException invalid(Condition condition, String problem) {
        Object value = condition.value();
        String shown = value == null ? "no value" : value instanceof String s
                ? "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'" : String.valueOf(value);
        return new IllegalArgumentException("metadata filter on '" + condition.key() + "': '"
                + condition.operator().wireName() + "' " + problem + ", not " + shown);
    }

    /** Escapes the characters {@link WildcardQuery} treats specially. */
    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '?' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
