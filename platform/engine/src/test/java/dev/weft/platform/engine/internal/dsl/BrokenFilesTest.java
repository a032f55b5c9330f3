package dev.weft.platform.engine.internal.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.platform.engine.DslImport;
import dev.weft.platform.engine.Issue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Seeded broken files fail with the expected error, quickly and without harm. */
class BrokenFilesTest {

    private final DslReader reader = new DslReader(CorpusTest::builtIn, Dependencies.NONE);

    static String workflow(String nodes, String edges) {
        return """
                version: 0.6.0
                kind: app
                app:
                  name: Broken
                  mode: workflow
                workflow:
                  environment_variables: []
                  conversation_variables: []
                  graph:
                    nodes:
                %s
                    edges:
                %s
                """.formatted(nodes.indent(4), edges.indent(4));
    }

    static final String START = """
            - id: s
              data: {type: start, title: Start, variables: [{variable: q, type: text-input}]}
            """;
    static final String END = """
            - id: e
              data: {type: end, title: End, outputs: [{variable: out, value_selector: [s, q]}]}
            """;

    private DslImport read(String yaml) {
        return reader.read(yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_well_formed_file_imports() {
        DslImport result = read(workflow(START + END, "- {id: s-e, source: s, target: e, sourceHandle: source}"));

        assertThat(result.issues()).isEmpty();
        assertThat(result.imported()).isTrue();
        assertThat(result.app().mode()).isEqualTo("workflow");
    }

    @Test
    void a_dangling_edge_is_an_error() {
        DslImport result = read(workflow(START + END, "- {id: s-x, source: s, target: x}"));

        assertThat(result.imported()).isFalse();
        assertThat(result.errors()).extracting(Issue::code).containsExactly("dangling_edge");
        assertThat(result.errors().get(0).message()).contains("node x");
    }

    @Test
    void a_cycle_is_an_error_naming_its_nodes() {
        String nodes = START + END + """
                - id: a
                  data: {type: template-transform, title: A, template: x, variables: []}
                - id: b
                  data: {type: template-transform, title: B, template: y, variables: []}
                """;
        String edges = """
                - {id: s-a, source: s, target: a}
                - {id: a-b, source: a, target: b}
                - {id: b-a, source: b, target: a}
                - {id: b-e, source: b, target: e}
                """;

        DslImport result = read(workflow(nodes, edges));

        assertThat(result.errors()).extracting(Issue::code).containsExactly("cycle");
        assertThat(result.errors().get(0).message()).contains("a → b → a");
    }

    @Test
    void a_selector_that_cannot_resolve_is_an_error_with_its_node() {
        String end = """
                - id: e
                  data: {type: end, title: End, outputs: [{variable: out, value_selector: [nowhere, text]}]}
                """;

        DslImport result = read(workflow(START + end, "- {id: s-e, source: s, target: e}"));

        assertThat(result.errors()).singleElement().satisfies(issue -> {
            assertThat(issue.code()).isEqualTo("selector_unresolvable");
            assertThat(issue.nodeId()).isEqualTo("e");
            assertThat(issue.message()).contains("nowhere.text");
        });
    }

    @Test
    void every_problem_is_reported_at_once() {
        String end = """
                - id: e
                  data: {type: end, title: End, outputs: [{variable: out, value_selector: [sys, nope]}]}
                - id: m
                  data: {type: llm, title: Model, model: {provider: openai, name: gpt-4o}}
                """;

        DslImport result = read(workflow(START + end, "- {id: s-e, source: s, target: e}\n- {id: e-z, source: e, target: z}"));

        assertThat(result.errors()).extracting(Issue::code)
                .containsExactlyInAnyOrder("dangling_edge", "selector_unresolvable");
        assertThat(result.warnings()).extracting(Issue::code)
                .containsExactlyInAnyOrder("node_type_missing", "model_provider_missing");
    }

    @Test
    void an_alias_bomb_fails_fast() {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'z'; c++) {
            char previous = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [");
            bomb.append(("*" + previous + ",").repeat(9));
            bomb.setLength(bomb.length() - 1);
            bomb.append("]\n");
        }

        long started = System.nanoTime();
        DslImport result = read(bomb.toString());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(result.errors()).extracting(Issue::code).containsExactly("dsl_unparseable");
    }

    @Test
    void a_file_over_10_mb_is_refused_before_parsing() {
        byte[] huge = new byte[20 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'a');

        DslImport result = reader.read(huge);

        assertThat(result.errors()).extracting(Issue::code).containsExactly("dsl_too_large");
    }

    @Test
    void yaml_that_is_not_a_dsl_file_is_refused_clearly() {
        assertThat(read("just a string").errors()).extracting(Issue::code).containsExactly("dsl_invalid");
        assertThat(read("a: [unclosed").errors()).extracting(Issue::code).containsExactly("dsl_unparseable");
        assertThat(read("app: {name: x}").errors()).extracting(Issue::code).containsExactly("app_invalid");
        assertThat(read("app: {name: x, mode: workflow}").errors()).extracting(Issue::code)
                .containsExactly("graph_missing");
        assertThat(read("a: 1\na: 2").errors()).extracting(Issue::code).containsExactly("dsl_unparseable");
        assertThat(read("[" .repeat(500)).errors()).extracting(Issue::code).containsExactly("dsl_unparseable");
    }

    @Test
    void an_agent_app_imports_with_a_warning() {
        DslImport result = read("version: 0.7.0\nkind: app\napp: {name: Agent, mode: agent}\nagent: {package_ref: x}\n");

        assertThat(result.imported()).isTrue();
        assertThat(result.warnings()).extracting(Issue::code).containsExactly("app_mode_unsupported");
        assertThat(new String(DslWriter.write(result.app()), StandardCharsets.UTF_8)).contains("version: 0.7.0");
    }

    @Test
    void export_blanks_secrets_and_drops_credentials() {
        String yaml = workflow(START + END + """
                - id: t
                  data: {type: tool, title: Tool, provider_id: x, tool_name: y, credential_id: cred-123}
                """, "- {id: s-e, source: s, target: e}").replace("  environment_variables: []",
                "  environment_variables:\n  - {name: key, value_type: secret, value: sk-very-secret}\n"
                        + "  - {name: region, value_type: string, value: eu}");

        DslImport result = read(yaml);
        String exported = new String(DslWriter.write(result.app()), StandardCharsets.UTF_8);

        assertThat(exported).doesNotContain("sk-very-secret").doesNotContain("cred-123").contains("value: eu")
                .contains("version: 0.6.0");
    }
}
