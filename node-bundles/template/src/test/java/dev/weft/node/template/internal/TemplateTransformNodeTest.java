package dev.weft.node.template.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.node.testing.TestNodeContext;
import dev.weft.spi.node.NodeException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTransformNodeTest {

    private static final TemplateTransformNode NODE = new TemplateTransformNode(new JinjavaTemplateRenderer());

    private static String render(String template, Object value) {
        return (String) NODE.execute(TestNodeContext.of(Map.of("template", template,
                "variables", List.of(Map.of("variable", "arg1", "value_selector", List.of("start", "x")))))
                .with("start.x", value)).outputs().get("output");
    }

    @Test
    void renders_jinja2_with_its_declared_variables() {
        assertThat(render("Hello {{ arg1 }}!", "Ada")).isEqualTo("Hello Ada!");
        assertThat(render("{% for item in arg1 %}{{ loop.index }}={{ item | upper }} {% endfor %}", List.of("a", "b")))
                .isEqualTo("1=A 2=B ");
        assertThat(render("{{ arg1.name }} has {{ arg1.items | length }}", Map.of("name", "cart", "items", List.of(1, 2))))
                .isEqualTo("cart has 2");
        assertThat(render("{{ missing }}|{{ arg1 | default('none') }}", null)).isEqualTo("|none");
    }

    @Test
    void values_are_data_and_never_rendered_again() {
        assertThat(render("{{ arg1 }}", "{{ 7 * 7 }}{% for i in range(3) %}x{% endfor %}"))
                .isEqualTo("{{ 7 * 7 }}{% for i in range(3) %}x{% endfor %}");
    }

    @Test
    void no_template_can_read_another_a_file_or_a_url() {
        for (String template : List.of("{% include '/etc/hostname' %}", "{% import '../../conf/app.properties' as x %}",
                "{% extends 'file:///etc/hostname' %}", "{% include 'http://127.0.0.1:9/' %}",
                "{% from 'x.html' import y %}")) {
            assertThatThrownBy(() -> render(template, "x")).as(template).isInstanceOfSatisfying(NodeException.class,
                    e -> assertThat(e.code()).isEqualTo("template_not_found"));
        }
    }

    @Test
    void java_objects_are_out_of_reach() {
        assertThat(render("[{{ arg1.class }}][{{ arg1.classLoader }}]", "x")).isEqualTo("[][]");
        assertThatThrownBy(() -> render("{{ arg1.getClass().forName('java.lang.Runtime') }}", "x"))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("template_error"));
    }

    @Test
    void huge_ranges_outputs_and_recursion_fail_with_template_limit() {
        assertThat(render("{% for i in range(999999999) %}{% endfor %}done", "x")).isEqualTo("done");
        assertThatThrownBy(() -> render("{% for i in range(5000) %}{% for j in range(5000) %}xxxxxxxxxx{% endfor %}{% endfor %}", "x"))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("template_limit"));
        // a macro calling itself is cut off at once and renders nothing
        assertThat(render("{% macro m(n) %}{{ m(n) }}{% endmacro %}[{{ m(1) }}]", "x")).isEqualTo("[]");
    }

    @Test
    void a_syntax_error_fails_with_its_line() {
        assertThatThrownBy(() -> render("line one\n{% if %}", "x")).isInstanceOfSatisfying(NodeException.class,
                e -> assertThat(e.getMessage()).contains("line 2"));
    }
}
