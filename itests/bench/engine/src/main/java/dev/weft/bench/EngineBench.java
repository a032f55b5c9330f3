package dev.weft.bench;

import dev.weft.api.workflow.RunStatus;
import dev.weft.node.core.internal.EndNode;
import dev.weft.node.core.internal.StartNode;
import dev.weft.node.logic.internal.IfElseNode;
import dev.weft.node.logic.internal.VariableAggregatorNode;
import dev.weft.platform.engine.DslImport;
import dev.weft.platform.engine.internal.dsl.Dependencies;
import dev.weft.platform.engine.internal.dsl.DslReader;
import dev.weft.platform.engine.internal.graph.Graph;
import dev.weft.platform.engine.internal.graph.GraphReader;
import dev.weft.platform.engine.internal.run.RunSpec;
import dev.weft.platform.engine.internal.run.WorkflowRun;
import dev.weft.platform.engine.Issue;
import dev.weft.spi.node.NodeType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The engine's overhead: a whole run of a 10-node logic-only workflow (two branch points whose
 * untaken branches are skipped, four aggregators joining them), and of the 2-node start-to-end
 * workflow, which is the fixed cost of any run. The per-node overhead is the difference divided by
 * the 8 nodes between them. Events go to a counting sink, as a run's listeners would receive them;
 * nothing is stored, so this is the engine alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xmx512m"})
public class EngineBench {

    private final Map<String, NodeType> types = Map.of("start", new StartNode(), "end", new EndNode(),
            "if-else", new IfElseNode(), "variable-aggregator", new VariableAggregatorNode());
    private Graph ten;
    private Graph two;
    private final AtomicInteger events = new AtomicInteger();

    @Setup
    public void read() throws IOException {
        ten = graph("ten-nodes.yml", 10);
        two = graph("two-nodes.yml", 2);
        // the workflow must do what it is meant to before it is timed: 8 of its 10 nodes run, 2 are skipped
        WorkflowRun.Outcome outcome = run(ten, "a banana", 42);
        if (outcome.status() != RunStatus.SUCCEEDED || !"a banana".equals(outcome.outputs().get("result"))
                || outcome.steps() != 8) {
            throw new IllegalStateException("the benchmark workflow did not run as expected: " + outcome);
        }
    }

    private Graph graph(String resource, int nodes) throws IOException {
        byte[] dsl;
        try (InputStream in = EngineBench.class.getResourceAsStream(resource)) {
            dsl = in.readAllBytes();
        }
        DslImport imported = new DslReader(type -> Optional.ofNullable(types.get(type)), new Dependencies() {
            @Override
            public boolean hasModelProvider(String difyProviderId) {
                return true;
            }

            @Override
            public boolean hasDataset(String datasetId) {
                return true;
            }

            @Override
            public boolean hasToolProvider(String difyProviderId) {
                return true;
            }
        }).read(dsl);
        if (!imported.imported() || !imported.warnings().isEmpty()) {
            throw new IllegalStateException(resource + " does not import cleanly: " + imported.errors() + imported.warnings());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> workflow = (Map<String, Object>) imported.app().document().get("workflow");
        List<Issue> issues = new ArrayList<>();
        Graph graph = GraphReader.read(workflow.get("graph"), issues);
        if (graph.nodes().size() != nodes) {
            throw new IllegalStateException(resource + " has " + graph.nodes().size() + " nodes, not " + nodes);
        }
        return graph;
    }

    private WorkflowRun.Outcome run(Graph graph, String text, int n) {
        RunSpec spec = new RunSpec(UUID.randomUUID().toString(), "bench", "bench-app", "bench-app", "workflow", graph,
                Map.of("text", text, "n", n), Map.of("user_id", "bench"), Map.of(), Map.of());
        return WorkflowRun.of(spec, type -> Optional.ofNullable(types.get(type)), event -> events.incrementAndGet()).execute();
    }

    @Benchmark
    public WorkflowRun.Outcome tenNodes() {
        return run(ten, "a banana", 42);
    }

    @Benchmark
    public WorkflowRun.Outcome twoNodes() {
        return run(two, "a banana", 42);
    }

    /** Runs both benchmarks and prints one summary line. Arguments are passed on to JMH (-f 1, -wi 3...). */
    public static void main(String[] args) throws RunnerException,
            org.openjdk.jmh.runner.options.CommandLineOptionException {
        Options options = new OptionsBuilder().parent(new org.openjdk.jmh.runner.options.CommandLineOptions(args))
                .include(EngineBench.class.getName() + "\\.").build();
        Collection<RunResult> results = new Runner(options).run();
        double tenUs = score(results, "tenNodes");
        double twoUs = score(results, "twoNodes");
        double perNode = (tenUs - twoUs) / 8;
        System.out.println(String.format(Locale.ROOT,
                "engine_bench: run_10_nodes_us=%.1f run_2_nodes_us=%.1f per_node_us=%.1f runs_per_s_10_nodes=%.0f",
                tenUs, twoUs, perNode, 1_000_000 / tenUs));
    }

    private static double score(Collection<RunResult> results, String method) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .mapToDouble(r -> r.getPrimaryResult().getScore()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no result for " + method));
    }
}
