package dev.weft.node.logic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.spi.node.NodeException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    @ParameterizedTest(name = "''{1}'' {0} ''{2}'' is {3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "contains     | hello world | world | true",
        "contains     | hello       | world | false",
        "contains     | NULL        | x     | false",
        "not contains | hello       | world | true",
        "not contains | NULL        | x     | true",
        "start with   | hello       | he    | true",
        "start with   | ''          | he    | false",
        "end with     | hello       | lo    | true",
        "is           | abc         | abc   | true",
        "is           | abc         | abd   | false",
        "is           | NULL        | abc   | false",
        "is not       | abc         | abd   | true",
        "is not       | NULL        | abd   | false",
        "empty        | ''          | NULL  | true",
        "empty        | NULL        | NULL  | true",
        "empty        | x           | NULL  | false",
        "not empty    | x           | NULL  | true",
        "null         | NULL        | NULL  | true",
        "not null     | ''          | NULL  | true",
        "exists       | NULL        | NULL  | false",
        "not exists   | NULL        | NULL  | true",
    })
    void text_operators_answer_as_dify_does(String operator, String actual, String expected, boolean holds)
            throws NodeException {
        assertThat(Comparison.holds(operator, actual, expected)).isEqualTo(holds);
    }

    @ParameterizedTest(name = "{1} {0} {2} is {3}")
    @CsvSource(delimiter = '|', value = {
        "=  | 3   | 3.0 | true",
        "≠  | 3   | 4   | true",
        ">  | 10  | 9   | true",
        ">  | 9   | 10  | false",
        "<  | 2.5 | 3   | true",
        "≥  | 3   | 3   | true",
        "≤  | 4   | 3   | false",
    })
    void numbers_compare_as_numbers_text_included(String operator, String actual, String expected, boolean holds)
            throws NodeException {
        assertThat(Comparison.holds(operator, Double.parseDouble(actual), expected)).isEqualTo(holds);
        assertThat(Comparison.holds(operator, actual, expected)).isEqualTo(holds);
    }

    @Test
    void numbers_compared_with_nothing_are_false_and_with_text_an_error() throws NodeException {
        assertThat(Comparison.holds(">", null, "3")).isFalse();
        assertThatThrownBy(() -> Comparison.holds(">", 3, "three")).isInstanceOf(NodeException.class)
                .hasMessageContaining("'three' is not one");
    }

    @Test
    void arrays_support_contains_in_and_all_of() throws NodeException {
        assertThat(Comparison.holds("contains", List.of("a", "b"), "b")).isTrue();
        assertThat(Comparison.holds("contains", List.of(1L, 2L), "2")).isTrue();
        assertThat(Comparison.holds("in", "b", List.of("a", "b"))).isTrue();
        assertThat(Comparison.holds("not in", "c", List.of("a", "b"))).isTrue();
        assertThat(Comparison.holds("all of", List.of("a", "b", "c"), List.of("a", "c"))).isTrue();
        assertThat(Comparison.holds("all of", List.of("a"), List.of("a", "c"))).isFalse();
        assertThat(Comparison.holds("empty", List.of(), null)).isTrue();
    }

    @Test
    void booleans_compare_with_true_and_false_text() throws NodeException {
        assertThat(Comparison.holds("is", true, "true")).isTrue();
        assertThat(Comparison.holds("is not", false, "true")).isTrue();
    }
}
