package dev.weft.api.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import aQute.bnd.service.diff.Delta;
import aQute.bnd.version.Version;
import dev.weft.api.core.JsonValues;
import dev.weft.spi.node.NodeType;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The semantic-version rules the API bundles are held to, checked with bnd's differ (the engine of
 * bnd-baseline-maven-plugin): the package {@code dev.weft.spi.node} as built is the baseline, and
 * copies of its sources with deliberate changes are compiled, bundled and compared with it.
 */
class BaselineTest {

    private static final String PACKAGE = "dev.weft.spi.node";

    @TempDir
    Path work;

    @Test
    void an_incompatible_copy_of_an_api_package_needs_a_major_version() throws Exception {
        // NodeType is implemented by plug-ins: taking a method away breaks every caller
        Baseline.Info info = compare(source -> source.file().endsWith("NodeType.java")
                ? source.text().replaceAll("(?s)\\n    /\\*\\*\\n     \\* Checks a node's configuration.*?List<Violation> validate\\(Map<String, Object> config\\);\\n", "\n")
                : source.text());

        assertThat(info.packageDiff.getDelta()).isEqualTo(Delta.MAJOR);
        assertThat(info.suggestedVersion).isEqualTo(new Version(info.olderVersion.getMajor() + 1, 0, 0));
        assertThat(info.mismatch).as("the same version declared where a major bump is needed").isTrue();
    }

    @Test
    void a_method_added_to_a_consumer_type_is_a_major_change_too() throws Exception {
        Baseline.Info info = compare(source -> source.file().endsWith("NodeType.java")
                ? source.text().replace("    NodeResult execute(NodeContext context) throws NodeException;",
                        "    NodeResult execute(NodeContext context) throws NodeException;\n\n    void reset();")
                : source.text());

        assertThat(info.packageDiff.getDelta()).isEqualTo(Delta.MAJOR);
        assertThat(info.suggestedVersion.getMajor()).isEqualTo(info.olderVersion.getMajor() + 1);
    }

    @Test
    void a_method_added_to_a_provider_type_needs_a_minor_version() throws Exception {
        // VariableView is implemented by the platform only: plug-ins that call it keep working
        Baseline.Info info = compare(source -> source.file().endsWith("VariableView.java")
                ? source.text().replace("    String render(String template);",
                        "    String render(String template);\n\n    boolean contains(VariableSelector selector);")
                : source.text());

        assertThat(info.packageDiff.getDelta()).isEqualTo(Delta.MINOR);
        assertThat(info.suggestedVersion)
                .isEqualTo(new Version(info.olderVersion.getMajor(), info.olderVersion.getMinor() + 1, 0));
        assertThat(info.mismatch).isTrue();
    }

    @Test
    void an_unchanged_copy_needs_no_new_version() throws Exception {
        Baseline.Info info = compare(Source::text);

        assertThat(info.packageDiff.getDelta()).isIn(Delta.UNCHANGED, Delta.IGNORED);
        assertThat(info.mismatch).isFalse();
    }

    /** One source file of the package. */
    record Source(String file, String text) {
    }

    /** Compiles an edited copy of the package, bundles it, and compares it with the package as built. */
    private Baseline.Info compare(java.util.function.Function<Source, String> edit) throws Exception {
        Path sources = Path.of(System.getProperty("weft.api.sources"), PACKAGE.replace('.', '/'));
        Path copy = Files.createDirectories(work.resolve("src").resolve(PACKAGE.replace('.', '/')));
        List<String> files = new ArrayList<>();
        try (Stream<Path> originals = Files.list(sources)) {
            for (Path original : originals.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path edited = copy.resolve(original.getFileName());
                Files.writeString(edited, edit.apply(new Source(original.getFileName().toString(),
                        Files.readString(original, StandardCharsets.UTF_8))), StandardCharsets.UTF_8);
                files.add(edited.toString());
            }
        }
        Path classes = Files.createDirectories(work.resolve("classes"));
        compile(files, classes);

        try (Jar built = bundle(location(NodeType.class)); Jar edited = bundle(classes.toFile());
                Processor reporter = new Processor()) {
            Baseline baseline = new Baseline(reporter, new DiffPluginImpl());
            return baseline.baseline(edited, built, null).stream()
                    .filter(info -> info.packageName.equals(PACKAGE)).findFirst().orElseThrow();
        }
    }

    private static void compile(List<String> files, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classpath = String.join(File.pathSeparator, location(JsonValues.class).getPath(),
                location(org.osgi.annotation.versioning.Version.class).getPath(),
                location(org.osgi.annotation.bundle.Export.class).getPath());
        List<String> arguments = new ArrayList<>(List.of("--release", "21", "-proc:none", "-nowarn",
                "-classpath", classpath, "-d", classes.toString()));
        arguments.addAll(files);
        int status = javac.run(null, null, System.err, arguments.toArray(String[]::new));
        assertThat(status).as("the edited copy compiles").isZero();
    }

    /** A bundle exporting the package from a folder or jar of classes, versioned by its package-info. */
    private static Jar bundle(File classes) throws Exception {
        Builder builder = new Builder();
        builder.setProperty("Bundle-SymbolicName", "dev.weft.api.workflow");
        builder.setProperty("Bundle-Version", "1.0.0");
        builder.setProperty("-exportcontents", PACKAGE);
        builder.setProperty("-includepackage", PACKAGE);
        builder.addClasspath(classes);
        builder.addClasspath(location(JsonValues.class));
        Jar jar = builder.build();
        assertThat(builder.getErrors()).isEmpty();
        return jar;
    }

    private static File location(Class<?> type) {
        try {
            return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
