package dev.weft.platform.engine.internal.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.api.core.Violation;
import dev.weft.platform.engine.DslImport;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dev corpus of real Dify files: how many import, why the others do not, and whether export is
 * stable for every one that does.
 */
class CorpusTest {

    /** The node types this issue builds, accepting any configuration. */
    static final Set<String> BUILT_IN = Set.of("start", "end", "answer", "if-else", "template-transform",
            "variable-aggregator", "variable-assigner", "assigner", "list-operator", "code", "http-request");

    private final DslReader reader = new DslReader(CorpusTest::builtIn, Dependencies.NONE);

    static Optional<NodeType> builtIn(String type) {
        if (!BUILT_IN.contains(type)) {
            return Optional.empty();
        }
        return Optional.of(new NodeType() {
            @Override
            public NodeDescriptor descriptor() {
                return new NodeDescriptor(type, "1", type, "", "logic", Map.of(), List.of(), List.of());
            }

            @Override
            public List<Violation> validate(Map<String, Object> config) {
                return List.of();
            }

            @Override
            public NodeResult execute(NodeContext context) {
                return NodeResult.of(Map.of());
            }
        });
    }

    static List<Path> corpus() throws Exception {
        String folder = System.getProperty("weft.corpus.dsl", "");
        Path path = Path.of(folder);
        assumeTrue(!folder.isBlank() && Files.isDirectory(path), "the Dify DSL corpus is not at " + folder);
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void at_least_95_percent_of_the_dev_corpus_imports() throws Exception {
        List<Path> files = corpus();
        List<String> failures = new ArrayList<>();
        int imported = 0;
        for (Path file : files) {
            DslImport result = reader.read(Files.readAllBytes(file));
            if (result.imported()) {
                imported++;
            } else {
                failures.add(file.getFileName() + ": " + result.errors());
            }
        }
        System.out.println("imported " + imported + " of " + files.size());
        failures.forEach(System.out::println);

        assertThat(imported).isGreaterThanOrEqualTo((int) Math.ceil(files.size() * 0.95));
    }

    @Test
    void export_import_export_is_byte_stable_for_every_imported_file() throws Exception {
        int checked = 0;
        for (Path file : corpus()) {
            DslImport first = reader.read(Files.readAllBytes(file));
            if (!first.imported()) {
                continue;
            }
            byte[] exported = DslWriter.write(first.app());
            DslImport second = reader.read(exported);
            assertThat(second.imported()).as(file + " re-imports: " + second.errors()).isTrue();
            byte[] again = DslWriter.write(second.app());
            assertThat(new String(again, java.nio.charset.StandardCharsets.UTF_8)).as(file.toString())
                    .isEqualTo(new String(exported, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(second.app().document()).as(file + " keeps its content")
                    .isEqualTo(withExportFields(first.app().document(), second.app().document()));
            checked++;
        }
        assertThat(checked).isPositive();
    }

    /** The first document with what export sets (version) taken from the second. */
    private static Map<String, Object> withExportFields(Map<String, Object> first, Map<String, Object> second) {
        Map<String, Object> expected = new java.util.LinkedHashMap<>(first);
        expected.put("version", second.get("version"));
        return expected;
    }
}
