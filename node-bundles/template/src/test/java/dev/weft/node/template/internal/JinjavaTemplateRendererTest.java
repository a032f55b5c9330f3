package dev.weft.node.template.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.TemplateRenderer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The template renderer service as other bundles see it: the interface, its limits and its error codes. */
class JinjavaTemplateRendererTest {

    private final TemplateRenderer renderer = new JinjavaTemplateRenderer();

    @Test
    void renders_with_the_given_names_and_leaves_unknown_names_empty() throws NodeException {
        assertThat(renderer.render("{% for d in docs %}[{{ loop.index }}:{{ d.title | upper }}]{% endfor %} {{ who }}{{ nobody }}",
                Map.of("docs", List.of(Map.of("title", "a"), Map.of("title", "b")), "who", "Ada")))
                .isEqualTo("[1:A][2:B] Ada");
    }

    @Test
    void output_over_the_limit_fails_with_template_limit() {
        assertThat(JinjavaTemplateRenderer.MAX_OUTPUT).isEqualTo(400_000);
        assertThatThrownBy(() -> renderer.render("{% for i in range(n) %}{{ chunk }}{% endfor %}",
                Map.of("n", 5_000, "chunk", "x".repeat(100))))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("template_limit"));
    }

    @Test
    void a_render_that_takes_too_long_is_stopped_with_template_limit() {
        TemplateRenderer quick = new JinjavaTemplateRenderer(Duration.ofSeconds(1));
        long started = System.nanoTime();
        assertThatThrownBy(() -> quick.render("{% for a in range(10000) %}{% for b in range(10000) %}{% for c in range(10000) %}"
                + "{% endfor %}{% endfor %}{% endfor %}", Map.of()))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("template_limit"))
                .hasMessageContaining("1000 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void syntax_errors_and_reads_of_other_templates_have_their_own_codes() {
        assertThatThrownBy(() -> renderer.render("ok\n{% for %}", Map.of()))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("template_error"))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> renderer.render("{% include '/etc/passwd' %}", Map.of()))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("template_not_found"));
    }

    @Test
    void one_renderer_serves_many_threads_at_once() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int n = i;
                results.add(pool.submit(() -> renderer.render("{{ n * 2 }}", Map.of("n", n))));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(String.valueOf(i * 2));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
