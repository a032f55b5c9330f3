package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.workflow.RunStatus;
import dev.weft.platform.engine.DslImport;
import dev.weft.platform.engine.DslService;
import dev.weft.platform.engine.RunRequest;
import dev.weft.platform.engine.RunResult;
import dev.weft.platform.engine.WorkflowEngine;
import dev.weft.platform.store.WorkspaceRepository;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The code node in the distribution's bundles, with the sandbox's real worker processes from the
 * distribution's {@code lib/sandbox/}: Python and JavaScript, Dify's output validation, and a guest
 * that breaks the rules failing its node, not the platform.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CodeNodeIT {

    private static final String DSL = """
            app: {mode: workflow, name: code test}
            kind: app
            version: 0.1.5
            workflow:
              graph:
                nodes:
                - id: start
                  data:
                    type: start
                    title: Start
                    variables:
                    - {variable: text, label: text, type: text-input, required: true}
                    - {variable: times, label: times, type: number, required: true}
                - id: py
                  data:
                    type: code
                    title: Python
                    code_language: python3
                    code: |
                      import json
                      from collections import Counter
                      def main(text: str, times: int) -> dict:
                          words = text.split()
                          return {"repeated": " ".join([text] * int(times)), "count": len(words),
                                  "top": Counter(words).most_common(1)[0][0], "meta": {"json": json.dumps(words)}}
                    variables:
                    - {variable: text, value_selector: [start, text]}
                    - {variable: times, value_selector: [start, times]}
                    outputs:
                      repeated: {type: string, children: null}
                      count: {type: number, children: null}
                      top: {type: string, children: null}
                      meta: {type: object, children: null}
                - id: js
                  data:
                    type: code
                    title: JavaScript
                    code_language: javascript
                    code: |
                      function main({count, top}) {
                        return {summary: `${count} words, mostly ${top}`, lengths: [count, top.length]};
                      }
                    variables:
                    - {variable: count, value_selector: [py, count]}
                    - {variable: top, value_selector: [py, top]}
                    outputs:
                      summary: {type: string, children: null}
                      lengths: {type: 'array[number]', children: null}
                - id: end
                  data:
                    type: end
                    title: End
                    outputs:
                    - {variable: repeated, value_selector: [py, repeated]}
                    - {variable: summary, value_selector: [js, summary]}
                    - {variable: lengths, value_selector: [js, lengths]}
                    - {variable: meta, value_selector: [py, meta]}
                edges:
                - {id: e1, source: start, target: py, sourceHandle: source, targetHandle: target}
                - {id: e2, source: py, target: js, sourceHandle: source, targetHandle: target}
                - {id: e3, source: js, target: end, sourceHandle: source, targetHandle: target}
            """;

    @Inject
    DslService dsl;

    @Inject
    WorkflowEngine engine;

    @Inject
    WorkspaceRepository workspaces;

    @Configuration
    public Option[] config() {
        return WeftOptions.platform();
    }

    private RunResult run(String yaml, Map<String, Object> inputs) throws Exception {
        DslImport imported = dsl.read(yaml.getBytes(StandardCharsets.UTF_8));
        assertThat(imported.imported()).as(imported.errors().toString()).isTrue();
        assertThat(imported.warnings()).isEmpty();
        return engine.start(new RunRequest(workspaces.defaultWorkspace().id(), UUID.randomUUID().toString(), imported.app(),
                inputs, "itest", null, List.of(), null, Map.of()), event -> { }).result().get(120, TimeUnit.SECONDS);
    }

    @Test
    public void python_and_javascript_nodes_run_in_the_sandbox() throws Exception {
        RunResult result = run(DSL, Map.of("text", "to be or not to be", "times", 2));

        assertThat(result.status()).as(String.valueOf(result.error())).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.outputs()).containsEntry("repeated", "to be or not to be to be or not to be")
                .containsEntry("summary", "6 words, mostly to").containsEntry("lengths", List.of(6, 2))
                .containsEntry("meta", Map.of("json", "[\"to\", \"be\", \"or\", \"not\", \"to\", \"be\"]"));
    }

    @Test
    public void a_guest_that_breaks_the_rules_fails_its_node_and_the_platform_runs_on() throws Exception {
        String forbidden = DSL.replace("import json\n", "import os\n");
        RunResult failed = run(forbidden, Map.of("text", "x", "times", 1));
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error()).contains("'os'").contains("not available in the sandbox");

        String looping = DSL.replace("    words = text.split()\n", "    while True: pass\n");
        RunResult stopped = run(looping, Map.of("text", "x", "times", 1));
        assertThat(stopped.status()).isEqualTo(RunStatus.FAILED);
        assertThat(stopped.error()).contains("ran for longer than");

        String wrongType = DSL.replace("count: {type: number", "count: {type: string");
        RunResult invalid = run(wrongType, Map.of("text", "x y", "times", 1));
        assertThat(invalid.status()).isEqualTo(RunStatus.FAILED);
        assertThat(invalid.error()).contains("Output variable `count` must be a string");

        assertThat(run(DSL, Map.of("text", "still works", "times", 1)).status()).isEqualTo(RunStatus.SUCCEEDED);
    }
}
