package dev.weft.node.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.node.testing.TestNodeContext;
import dev.weft.spi.node.NodeException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartNodeTest {

    private final StartNode start = new StartNode();

    private static Map<String, Object> variables(Object... definitions) {
        return Map.of("variables", List.of(definitions));
    }

    @Test
    void should_pass_declared_inputs_on_converted_to_their_types() {
        TestNodeContext context = TestNodeContext.of("start", variables(
                Map.of("variable", "name", "type", "text-input"),
                Map.of("variable", "age", "type", "number"),
                Map.of("variable", "agree", "type", "checkbox"),
                Map.of("variable", "meta", "type", "json_object")))
                .with("start.name", "Ada").with("start.age", "36").with("start.agree", "true")
                .with("start.meta", "{\"k\": 1}").with("start.undeclared", "dropped");

        assertThat(start.execute(context).outputs()).containsExactly(Map.entry("name", "Ada"), Map.entry("age", 36L),
                Map.entry("agree", true), Map.entry("meta", Map.of("k", 1)));
    }

    @Test
    void should_refuse_a_missing_required_input_naming_it() {
        TestNodeContext context = TestNodeContext.of("start", variables(
                Map.of("variable", "topic", "label", "Topic", "type", "text-input", "required", true)));

        assertThatThrownBy(() -> start.execute(context)).isInstanceOfSatisfying(NodeException.class, e -> {
            assertThat(e.code()).isEqualTo("input_required");
            assertThat(e.getMessage()).isEqualTo("Topic (topic) is required");
        });
    }

    @Test
    void should_fill_defaults_and_check_length_options_and_numbers() {
        Map<String, Object> config = variables(
                Map.of("variable", "lang", "type", "select", "options", List.of("en", "fr"), "default", "en"),
                Map.of("variable", "short", "type", "text-input", "max_length", 3));

        assertThat(start.execute(TestNodeContext.of("start", config)).outputs()).containsEntry("lang", "en");
        assertThatThrownBy(() -> start.execute(TestNodeContext.of("start", config).with("start.lang", "de")))
                .hasMessageContaining("must be one of [en, fr]");
        assertThatThrownBy(() -> start.execute(TestNodeContext.of("start", config).with("start.short", "toolong")))
                .hasMessageContaining("at most 3 characters");
        assertThatThrownBy(() -> start.execute(TestNodeContext.of("start",
                variables(Map.of("variable", "n", "type", "number"))).with("start.n", "twelve")))
                .hasMessageContaining("must be a number");
    }

    @Test
    void should_report_duplicate_and_unnamed_variables() {
        assertThat(start.validate(variables(Map.of("variable", "a"), Map.of("variable", "a"), Map.of("label", "x"))))
                .extracting(v -> v.path() + " " + v.message())
                .containsExactly("/variables/1 the variable a is declared twice", "/variables/2 needs a variable name");
    }
}
