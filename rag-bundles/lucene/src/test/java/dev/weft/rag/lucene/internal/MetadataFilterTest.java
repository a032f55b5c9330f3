package dev.weft.rag.lucene.internal;

import static dev.weft.rag.lucene.internal.Fixtures.chunk;
import static dev.weft.rag.lucene.internal.Fixtures.fullText;
import static dev.weft.rag.lucene.internal.Fixtures.ids;
import static dev.weft.rag.lucene.internal.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.spi.rag.KnowledgeIndex;
import dev.weft.spi.rag.MetadataFilter;
import dev.weft.spi.rag.MetadataFilter.Condition;
import dev.weft.spi.rag.MetadataFilter.Logic;
import dev.weft.spi.rag.MetadataFilter.Operator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Dify operator, on an economy index of five chunks that all contain the word "report". */
class MetadataFilterTest {

    @TempDir
    static Path root;

    private static LuceneIndexProvider provider;
    private static KnowledgeIndex index;

    @BeforeAll
    static void corpus() throws IOException {
        provider = new LuceneIndexProvider(root, true);
        index = provider.open(spec("filters", 0, null));
        index.replaceDocument("d", List.of(
                chunk("a", 0, "report a", null, meta("author", "Alice Smith", "pages", 10, "published", "2024-01-15",
                        "tags", List.of("Finance", "Q1"), "draft", false)),
                chunk("b", 1, "report b", null, meta("author", "Bob Jones", "pages", 25.5, "published", 1717200000L,
                        "tags", List.of("legal"), "draft", true)),
                chunk("c", 2, "report c", null, meta("author", "alice cooper", "pages", "7", "published",
                        "2023-06-01T12:00:00Z", "tags", List.of())),
                chunk("d", 3, "report d", null, meta("author", "", "pages", 100, "owner", Map.of("team", "Ops"))),
                chunk("e", 4, "report e", null, meta("author", null))));
    }

    @AfterAll
    static void close() throws IOException {
        index.close();
        provider.deactivate();
    }

    @Test
    void everyOperatorHasAQueryAndATest() {
        // the test below covers each operator; this guards against a new operator being added untested
        assertThat(Arrays.stream(Operator.values()).map(Operator::wireName).toList()).containsExactlyInAnyOrder(
                "contains", "not contains", "start with", "end with", "is", "is not", "empty", "not empty", "=", "≠",
                ">", "<", "≥", "≤", "before", "after");
    }

    @Test
    void textOperatorsIgnoreCase() throws IOException {
        assertThat(matches("author", Operator.CONTAINS, "ALICE")).containsExactly("a", "c");
        assertThat(matches("author", Operator.CONTAINS, "o")).containsExactly("b", "c");
        assertThat(matches("author", Operator.NOT_CONTAINS, "alice")).containsExactly("b");
        assertThat(matches("author", Operator.START_WITH, "alice")).containsExactly("a", "c");
        assertThat(matches("author", Operator.END_WITH, "jones")).containsExactly("b");
        assertThat(matches("author", Operator.IS, "alice smith")).containsExactly("a");
        assertThat(matches("author", Operator.IS_NOT, "Alice Smith")).containsExactly("b", "c");
    }

    @Test
    void wildcardCharactersInValuesAreLiteral() throws IOException {
        assertThat(matches("author", Operator.CONTAINS, "*")).isEmpty();
        assertThat(matches("author", Operator.START_WITH, "?lice")).isEmpty();
    }

    @Test
    void arraysMatchWhenAnElementDoes() throws IOException {
        assertThat(matches("tags", Operator.CONTAINS, "finance")).containsExactly("a");
        assertThat(matches("tags", Operator.IS, "q1")).containsExactly("a");
        assertThat(matches("tags", Operator.IS_NOT, "legal")).containsExactly("a");
    }

    @Test
    void emptyMeansMissingNullBlankOrEmptyArray() throws IOException {
        assertThat(matches("author", Operator.EMPTY, null)).containsExactly("d", "e");
        assertThat(matches("author", Operator.NOT_EMPTY, null)).containsExactly("a", "b", "c");
        assertThat(matches("tags", Operator.EMPTY, null)).containsExactly("c", "d", "e");
        assertThat(matches("owner.team", Operator.IS, "ops")).containsExactly("d");
    }

    @Test
    void numberOperatorsCompareNumbersAndNumericStrings() throws IOException {
        assertThat(matches("pages", Operator.EQUAL, 10)).containsExactly("a");
        assertThat(matches("pages", Operator.EQUAL, "25.5")).containsExactly("b");
        assertThat(matches("pages", Operator.NOT_EQUAL, 10)).containsExactly("b", "c", "d");
        assertThat(matches("pages", Operator.GREATER_THAN, 10)).containsExactly("b", "d");
        assertThat(matches("pages", Operator.GREATER_OR_EQUAL, 10)).containsExactly("a", "b", "d");
        assertThat(matches("pages", Operator.LESS_THAN, 10)).containsExactly("c");
        assertThat(matches("pages", Operator.LESS_OR_EQUAL, 10)).containsExactly("a", "c");
        assertThat(matches("pages", Operator.IS, "10")).containsExactly("a");
    }

    @Test
    void timeOperatorsTakeEpochSecondsOrIsoDates() throws IOException {
        // a: 2024-01-15 (1705276800), b: 1717200000 (2024-06-01), c: 2023-06-01T12:00:00Z
        assertThat(matches("published", Operator.BEFORE, "2024-01-01")).containsExactly("c");
        assertThat(matches("published", Operator.AFTER, "2024-01-01T00:00:00Z")).containsExactly("a", "b");
        assertThat(matches("published", Operator.AFTER, 1705276800L)).containsExactly("b");
        assertThat(matches("published", Operator.BEFORE, 1705276800L)).containsExactly("c");
        assertThat(matches("published", Operator.BEFORE, "2024-06-01 00:00:01")).containsExactly("a", "b", "c");
        assertThat(matches("published", Operator.AFTER, "2024-01-15T01:00:00+02:00")).containsExactly("a", "b");
    }

    @Test
    void conditionsCombineWithAndOrOr() throws IOException {
        List<Condition> conditions = List.of(new Condition("author", Operator.CONTAINS, "alice"),
                new Condition("pages", Operator.GREATER_THAN, 8));

        assertThat(search(new MetadataFilter(Logic.AND, conditions))).containsExactly("a");
        assertThat(search(new MetadataFilter(Logic.OR, conditions))).containsExactly("a", "b", "c", "d");
        assertThat(search(MetadataFilter.NONE)).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void booleansCompareAsText() throws IOException {
        assertThat(matches("draft", Operator.IS, true)).containsExactly("b");
        assertThat(matches("draft", Operator.IS, "false")).containsExactly("a");
    }

    @Test
    void valuesThatDoNotSuitTheOperatorAreRejected() {
        assertThatThrownBy(() -> matches("pages", Operator.GREATER_THAN, "many"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metadata filter on 'pages': '>' needs a number, not 'many'");
        assertThatThrownBy(() -> matches("published", Operator.BEFORE, "yesterday"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'before' needs a time");
        assertThatThrownBy(() -> matches("author", Operator.CONTAINS, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a text value, not no value");
        assertThatThrownBy(() -> matches("author", Operator.IS, "x".repeat(1001)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1000 characters");
    }

    private static Set<String> matches(String key, Operator operator, Object value) throws IOException {
        return search(new MetadataFilter(Logic.AND, List.of(new Condition(key, operator, value))));
    }

    private static Set<String> search(MetadataFilter filter) throws IOException {
        return new TreeSet<>(ids(index.search(fullText("report", 10, filter))));
    }

    private static Map<String, Object> meta(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
