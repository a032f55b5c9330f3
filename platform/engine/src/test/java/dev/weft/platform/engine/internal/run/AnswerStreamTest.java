package dev.weft.platform.engine.internal.run;

import static dev.weft.platform.engine.internal.run.TestGraph.graph;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.workflow.RunEvent;
import dev.weft.platform.engine.internal.graph.Graph;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Answers streamed ahead of their nodes: a model's tokens reach the user as they come. */
class AnswerStreamTest {

    private static String said(Trace trace, String answer) {
        StringBuilder text = new StringBuilder();
        trace.events.stream().filter(RunEvent.TextChunk.class::isInstance).map(RunEvent.TextChunk.class::cast)
                .filter(chunk -> chunk.nodeId().equals(answer)).forEach(chunk -> text.append(chunk.text()));
        return text.toString();
    }

    /** Runs the graph; the gate {@code spoken} opens when the answer node {@code answer} first says something. */
    private static Trace runOpeningWhenSpoken(Graph graph, String answer) {
        TestNodes nodes = new TestNodes();
        java.util.concurrent.CountDownLatch spoken = nodes.gates.computeIfAbsent("spoken", n -> new java.util.concurrent.CountDownLatch(1));
        Trace trace = new Trace();
        trace.listener = event -> {
            if (event instanceof RunEvent.TextChunk chunk && chunk.nodeId().equals(answer)) {
                spoken.countDown();
            }
        };
        trace.outcome = trace.prepare(graph, Map.of(), nodes, Limits.DEFAULTS, Map.of()).execute();
        return trace;
    }

    @Test
    void aModelsTokensStreamThroughTheAnswerBeforeTheModelFinishes() {
        Graph g = graph()
                .node("llm", "tokens", Map.of("pieces", List.of("Hel", "lo", " world"), "after", "spoken"))
                .node("a", "answer", Map.of("answer", "Dear {{#sys.user_id#}}: {{#llm.text#}}!"))
                .edge("s", "llm").edge("llm", "a").build();

        // the model writes once the answer has begun: its tokens can only reach the user through the answer
        Trace trace = runOpeningWhenSpoken(g, "a");

        List<String> lines = trace.lines();
        assertThat(lines).containsSubsequence("chunk a Dear ", "chunk a u-1", "chunk a : ", "chunk a Hel", "chunk a lo",
                "chunk a  world", "finished llm succeeded", "chunk a !", "started a", "finished a succeeded");
        assertThat(lines.indexOf("chunk a Hel")).isLessThan(lines.indexOf("finished llm succeeded"));
        // nothing is said twice: the answer node, when it runs, has nothing left to say
        assertThat(said(trace, "a")).isEqualTo("Dear u-1: Hello world!");
        assertThat(trace.outcome.answer()).isEqualTo("Dear u-1: Hello world!");
    }

    @Test
    void anAnswerOnABranchNotTakenNeverSpeaksAndOneTakenSpeaksOnceTheBranchDecided() {
        Graph g = graph()
                .node("b", "branch", Map.of("handle", "true"))
                .node("llm", "tokens", Map.of("pieces", List.of("yes", "!"), "after", "spoken"))
                .node("yes", "answer", Map.of("answer", "Answer: {{#llm.text#}}"))
                .node("e", "echo", Map.of("value", "nope"))
                .node("no", "answer", Map.of("answer", "Sorry: {{#e.out#}}"))
                .edge("s", "b").edge("b", "true", "llm").edge("llm", "yes").edge("b", "false", "e").edge("e", "no").build();

        Trace trace = runOpeningWhenSpoken(g, "yes");

        assertThat(said(trace, "no")).isEmpty();
        assertThat(said(trace, "yes")).isEqualTo("Answer: yes!");
        List<String> lines = trace.lines();
        assertThat(lines.indexOf("chunk yes yes")).isGreaterThan(lines.indexOf("finished b succeeded"))
                .isLessThan(lines.indexOf("finished llm succeeded"));
    }

    @Test
    void anAnswerWaitsForAnEarlierPartAndThenCatchesUpWithTokensAlreadyStreamed() {
        // the answer shows e's output first: the model's tokens that came meanwhile are sent once e has finished
        Graph g = graph()
                .node("llm", "tokens", Map.of("pieces", List.of("one", " two")))
                .node("e", "echo", Map.of("value", "[{{#llm.text#}}]"))
                .node("a", "answer", Map.of("answer", "{{#e.out#}} then {{#llm.text#}}"))
                .edge("s", "llm").edge("llm", "e").edge("e", "a").build();

        Trace trace = Trace.run(g, Map.of());

        assertThat(said(trace, "a")).isEqualTo("[one two] then one two");
        assertThat(trace.outcome.answer()).isEqualTo("[one two] then one two");
    }

    @Test
    void answersOneBelowAnotherNeverInterleave() {
        Graph g = graph()
                .node("first", "answer", Map.of("answer", "one {{#slow.text#}}; "))
                .node("slow", "tokens", Map.of("pieces", List.of("a", "b")))
                .node("second", "answer", Map.of("answer", "two {{#sys.user_id#}}"))
                .edge("s", "slow").edge("slow", "first").edge("first", "second").build();

        Trace trace = Trace.run(g, Map.of());

        StringBuilder all = new StringBuilder();
        trace.events.stream().filter(RunEvent.TextChunk.class::isInstance)
                .forEach(e -> all.append(((RunEvent.TextChunk) e).text()));
        assertThat(all.toString()).isEqualTo("one ab; two u-1");
        assertThat(trace.outcome.answer()).isEqualTo("one ab; two u-1");
    }
}
