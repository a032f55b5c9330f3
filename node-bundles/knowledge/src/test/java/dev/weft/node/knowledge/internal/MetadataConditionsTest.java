package dev.weft.node.knowledge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.core.Violation;
import dev.weft.node.testing.TestNodeContext;
import dev.weft.spi.rag.MetadataFilter;
import dev.weft.spi.rag.MetadataFilter.Condition;
import dev.weft.spi.rag.MetadataFilter.Logic;
import dev.weft.spi.rag.MetadataFilter.Operator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Dify's manual metadata conditions as Weft's metadata filter, operator by operator. */
class MetadataConditionsTest {

    static Map<String, Object> manual(String logic, List<Map<String, Object>> conditions) {
        Map<String, Object> block = new LinkedHashMap<>();
        if (logic != null) {
            block.put("logical_operator", logic);
        }
        block.put("conditions", conditions);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("metadata_filtering_mode", "manual");
        config.put("metadata_filtering_conditions", block);
        return config;
    }

    static Map<String, Object> condition(String name, String operator, Object value) {
        Map<String, Object> condition = new HashMap<>();
        condition.put("name", name);
        condition.put("comparison_operator", operator);
        condition.put("value", value);
        return condition;
    }

    static MetadataFilter filter(Map<String, Object> config, TestNodeContext context, List<String> notes) {
        List<Violation> problems = new ArrayList<>();
        MetadataConditions.validate(config, problems);
        assertThat(problems).isEmpty();
        return MetadataConditions.filter(config, context, notes);
    }

    /** Each of Dify's operator names, a value as a DSL file writes it, and the condition Weft searches with. */
    static Stream<Arguments> operators() {
        return Stream.of(
                Arguments.of("contains", "guide", Operator.CONTAINS, "guide"),
                Arguments.of("not contains", "draft", Operator.NOT_CONTAINS, "draft"),
                Arguments.of("start with", "Intro", Operator.START_WITH, "Intro"),
                Arguments.of("end with", ".pdf", Operator.END_WITH, ".pdf"),
                Arguments.of("is", "Ada", Operator.IS, "Ada"),
                Arguments.of("is not", "Bob", Operator.IS_NOT, "Bob"),
                Arguments.of("empty", null, Operator.EMPTY, null),
                Arguments.of("not empty", null, Operator.NOT_EMPTY, null),
                Arguments.of("=", 3, Operator.EQUAL, 3),
                Arguments.of("≠", "4", Operator.NOT_EQUAL, 4L),
                Arguments.of(">", 2.5, Operator.GREATER_THAN, 2.5),
                Arguments.of("<", "10.5", Operator.LESS_THAN, 10.5),
                Arguments.of("≥", "-1", Operator.GREATER_OR_EQUAL, -1L),
                Arguments.of("≤", 100, Operator.LESS_OR_EQUAL, 100),
                Arguments.of("before", 1714557600, Operator.BEFORE, 1714557600),
                Arguments.of("after", "2024-05-01T10:00:00Z", Operator.AFTER, "2024-05-01T10:00:00Z"));
    }

    @ParameterizedTest(name = "''{0}'' becomes {2}")
    @MethodSource("operators")
    void eachDifyOperatorMapsOntoWeftsFilter(String difyName, Object value, Operator expected, Object expectedValue) {
        Map<String, Object> config = manual("and", List.of(condition("field", difyName, value)));

        MetadataFilter filter = filter(config, TestNodeContext.of(config), new ArrayList<>());

        assertThat(filter.logic()).isEqualTo(Logic.AND);
        assertThat(filter.conditions()).containsExactly(new Condition("field", expected, expectedValue));
        assertThat(MetadataConditions.operator(difyName)).contains(expected);
    }

    @Test
    void everyWeftOperatorIsReachableByItsDifyName() {
        assertThat(operators().map(a -> a.get()[2])).containsExactlyInAnyOrder((Object[]) Operator.values());
    }

    @Test
    void templateValuesAreRenderedWithTheRunsVariables() {
        Map<String, Object> config = manual(null, List.of(
                condition("author", "is", "{{#start.author#}}"),
                condition("title", "contains", "chapter {{#start.chapter#}}\n\tend "),
                condition("year", ">", "{{#start.year#}}"),
                condition("pages", "<", " {{#start.pages#}} "),
                condition("tag", "is", "{{#start.missing#}}")));
        TestNodeContext context = TestNodeContext.of(config).with("start.author", "Grace Hopper")
                .with("start.chapter", 7).with("start.year", 2021).with("start.pages", "300");

        MetadataFilter filter = filter(config, context, new ArrayList<>());

        assertThat(filter.logic()).isEqualTo(Logic.AND);
        assertThat(filter.conditions()).containsExactly(
                new Condition("author", Operator.IS, "Grace Hopper"),
                new Condition("title", Operator.CONTAINS, "chapter 7 end"),
                new Condition("year", Operator.GREATER_THAN, 2021),
                new Condition("pages", Operator.LESS_THAN, 300L),
                new Condition("tag", Operator.IS, ""));
    }

    @Test
    void conditionsWithoutAValueAreLeftOutAsDifyDoes() {
        Map<String, Object> config = manual("or", List.of(condition("author", "is", null),
                condition("status", "not empty", "ignored")));
        List<String> notes = new ArrayList<>();

        MetadataFilter filter = filter(config, TestNodeContext.of(config), notes);

        assertThat(filter.logic()).isEqualTo(Logic.OR);
        assertThat(filter.conditions()).containsExactly(new Condition("status", Operator.NOT_EMPTY, null));
        assertThat(notes).singleElement().asString().contains("'author'").contains("left out");
    }

    @Test
    void disabledAndAbsentModesGiveNoFilter() {
        Map<String, Object> disabled = new LinkedHashMap<>(manual("and", List.of(condition("a", "is", "b"))));
        disabled.put("metadata_filtering_mode", "disabled");
        List<String> notes = new ArrayList<>();

        assertThat(MetadataConditions.filter(disabled, TestNodeContext.of(disabled), notes)).isEqualTo(MetadataFilter.NONE);
        assertThat(MetadataConditions.filter(Map.of(), TestNodeContext.of(Map.of()), notes)).isEqualTo(MetadataFilter.NONE);
        assertThat(notes).isEmpty();
    }

    @Test
    void unsupportedAndBrokenConditionsAreViolations() {
        Map<String, Object> config = manual("xor", List.of(
                condition("tags", "in", List.of("a", "b")),
                condition("", "is", "x"),
                condition("year", ">", "recent"),
                condition("meta", "is", Map.of("nested", true))));
        List<Violation> problems = new ArrayList<>();

        MetadataConditions.validate(config, problems);

        assertThat(problems).extracting(Violation::path).containsExactly(
                "/metadata_filtering_conditions/logical_operator",
                "/metadata_filtering_conditions/conditions/0/comparison_operator",
                "/metadata_filtering_conditions/conditions/1/name",
                "/metadata_filtering_conditions/conditions/2/value",
                "/metadata_filtering_conditions/conditions/3/value");
        assertThat(problems.get(1).message()).contains("'in' is not supported").contains("not contains");
    }

    @Test
    void conditionsOutsideManualModeAreNotChecked() {
        Map<String, Object> config = new LinkedHashMap<>(manual("and", List.of(condition("tags", "in", "a"))));
        config.put("metadata_filtering_mode", "automatic");
        List<Violation> problems = new ArrayList<>();

        MetadataConditions.validate(config, problems);

        assertThat(problems).isEmpty();
    }
}
