package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.Assume.assumeTrue;

import dev.weft.api.workflow.RunEvent;
import dev.weft.api.workflow.RunStatus;
import dev.weft.platform.engine.DslImport;
import dev.weft.platform.engine.DslService;
import dev.weft.platform.engine.RunRequest;
import dev.weft.platform.engine.RunResult;
import dev.weft.platform.engine.WorkflowEngine;
import dev.weft.platform.store.RunRecord;
import dev.weft.platform.store.RunRepository;
import dev.weft.platform.store.WorkspaceRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
 * Real Dify files from the dev corpus whose nodes are all of types Weft has built and that call no
 * outside host, imported and run by the distribution's own bundles, with generated inputs: each
 * must succeed with the outputs its graph computes, with its events in order, and be recorded.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CorpusRunIT {

    @Inject
    DslService dsl;

    @Inject
    WorkflowEngine engine;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    RunRepository runs;

    @Configuration
    public Option[] config() {
        return WeftOptions.platform();
    }

    /** A run and its events. */
    private record Run(RunResult result, List<RunEvent> events) {
        List<String> finishedTypes() {
            return events.stream().filter(RunEvent.NodeFinished.class::isInstance).map(RunEvent.NodeFinished.class::cast)
                    .map(RunEvent.NodeFinished::nodeType).toList();
        }
    }

    private Run run(String file, Map<String, Object> inputs, String query) throws Exception {
        String corpus = System.getProperty("weft.corpus.dsl", "");
        Path path = Path.of(corpus, file);
        assumeTrue("the Dify DSL corpus is not at " + corpus, Files.isRegularFile(path));
        DslImport imported = dsl.read(Files.readAllBytes(path));
        assertThat(imported.imported()).as(file + ": " + imported.errors()).isTrue();
        assertThat(imported.warnings()).as(file + " needs nothing missing").isEmpty();
        List<RunEvent> events = Collections.synchronizedList(new ArrayList<>());
        String workspace = workspaces.defaultWorkspace().id();
        RunResult result = engine.start(new RunRequest(workspace, java.util.UUID.randomUUID().toString(), imported.app(),
                inputs, "corpus-test", query, List.of(), null, Map.of()), events::add)
                .result().get(30, TimeUnit.SECONDS);
        assertThat(result.status()).as(file + ": " + result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(events.get(0)).isInstanceOf(RunEvent.RunStarted.class);
        assertThat(events.get(events.size() - 1)).isInstanceOf(RunEvent.RunFinished.class);
        RunRecord recorded = Await.until("the run recorded", Duration.ofSeconds(10),
                () -> runs.find(workspace, result.runId()).filter(r -> r.finishedAt() != null).orElse(null));
        assertThat(recorded.status()).isEqualTo("succeeded");
        assertThat(runs.executions(workspace, result.runId())).hasSize(result.steps());
        return new Run(result, List.copyOf(events));
    }

    @Test
    public void an_empty_workflow_runs() throws Exception {
        Run run = run("1be73828c0ce.yml", Map.of(), null);

        assertThat(run.finishedTypes()).containsExactly("start", "end");
        assertThat(run.result().outputs()).isEmpty();
    }

    @Test
    public void an_input_echoed_to_the_output() throws Exception {
        Run run = run("efc409823aa7.yml", Map.of("query", "generated input"), null);

        assertThat(run.result().outputs()).containsEntry("query", "generated input");
    }

    @Test
    public void an_if_else_picks_its_branch() throws Exception {
        assertThat(run("1c2953310e5c.yml", Map.of("query", "well hello there"), null).result().outputs())
                .containsOnlyKeys("true").containsEntry("true", "well hello there");
        Run other = run("1c2953310e5c.yml", Map.of("query", "goodbye"), null);
        assertThat(other.result().outputs()).containsOnlyKeys("false");
        assertThat(other.finishedTypes()).containsExactly("start", "if-else", "end");
    }

    @Test
    public void parallel_branches_of_templates_join_in_grouped_aggregation() throws Exception {
        Run run = run("c4becb7d7a59.yml", Map.of("switch1", 1, "switch2", 0), null);

        assertThat(run.result().outputs()).containsEntry("group1", "switch 1 on").containsEntry("group2", "switch 2 off");
        List<String> types = run.finishedTypes();
        assertThat(types.get(0)).isEqualTo("start");
        assertThat(types.subList(types.size() - 2, types.size())).containsExactly("variable-aggregator", "end");
        assertThat(types).filteredOn("template-transform"::equals).hasSize(2);
    }

    @Test
    public void a_loop_assigns_its_variable_until_the_break_condition_holds() throws Exception {
        Run run = run("5979ef235a88.yml", Map.of(), null);

        assertThat(run.result().outputs()).containsEntry("num", 5L);
        assertThat(run.events()).filteredOn(RunEvent.LoopNext.class::isInstance).hasSize(3);
        assertThat(run.finishedTypes()).filteredOn("assigner"::equals).hasSize(4);
    }

    @Test
    public void a_chatflow_answers_with_the_query() throws Exception {
        Run run = run("f1e9dc3d997b.yml", Map.of(), "what is weft?");

        assertThat(run.result().outputs()).containsEntry("answer", "prefixwhat is weft?suffix");
        // streamed as far as known: the text before the query, the query, the text after it
        assertThat(run.events()).filteredOn(RunEvent.TextChunk.class::isInstance)
                .extracting(e -> ((RunEvent.TextChunk) e).text()).containsExactly("prefix", "what is weft?", "suffix");
    }

    @Test
    public void a_chatflow_answers_inside_a_loop_then_after_it() throws Exception {
        Run run = run("15749a463fe5.yml", Map.of(), "hi");

        assertThat(run.result().outputs()).containsEntry("answer", "1\n2\nhi + 2");
    }

    @Test
    public void an_iteration_over_code_output_flattens_the_lists_its_code_returns() throws Exception {
        Run run = run("31562cadac85.yml", Map.of(), null);

        assertThat(run.result().outputs().get("output")).isEqualTo(List.of(1, 2, 2, 4, 3, 6));
        assertThat(run.finishedTypes()).filteredOn("code"::equals).hasSize(4);
        assertThat(run.events()).filteredOn(RunEvent.IterationNext.class::isInstance).hasSize(3);
    }

    @Test
    public void an_iteration_over_code_output_keeps_nested_lists_without_flattening() throws Exception {
        Run run = run("88a9c5676f97.yml", Map.of(), null);

        assertThat(run.result().outputs().get("output")).isEqualTo(List.of(List.of(1, 2), List.of(2, 4), List.of(3, 6)));
    }

    @Test
    public void an_iteration_renders_a_template_for_each_number_code_returned() throws Exception {
        Run run = run("9a2cb87926ed.yml", Map.of(), null);

        assertThat(run.result().outputs().get("output")).isEqualTo(List.of("output: 1", "output: 2", "output: 3"));
        List<String> types = run.finishedTypes();
        assertThat(types.get(0)).isEqualTo("start");
        assertThat(types.get(1)).isEqualTo("code");
        assertThat(types.get(types.size() - 1)).isEqualTo("end");
    }

    @Test
    public void a_chatflow_assigns_a_conversation_variable_inside_an_iteration_and_answers_with_it() throws Exception {
        Run run = run("5bed1f48a22c.yml", Map.of(), "remember this");

        assertThat(run.result().outputs()).containsEntry("answer", "remember this");
        assertThat(run.finishedTypes()).containsSubsequence("start", "code", "iteration", "answer");
    }
}
