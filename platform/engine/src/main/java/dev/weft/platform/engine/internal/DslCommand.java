package dev.weft.platform.engine.internal;

import dev.weft.platform.engine.DslImport;
import dev.weft.api.model.ModelRouting;
import dev.weft.platform.engine.DslService;
import dev.weft.platform.engine.WorkflowEngine;
import dev.weft.platform.store.WorkspaceRepository;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import dev.weft.platform.engine.Issue;
import dev.weft.spi.command.Command;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code bin/weft dsl check <file-or-folder>...}: reads DSL files against the plug-ins of this
 * installation, prints each file with its errors and warnings, and ends with
 * {@code files=<n> imported=<n> warnings=<n> failed=<n>}.
 *
 * <p>{@code bin/weft dsl run <file-or-folder>... [--model-base-url <url>] [--api-key <key>]}: imports
 * each file, generates inputs from its start variables (and a query for chat apps), runs it (every
 * model call going to the OpenAI-compatible server at the URL when one is given), and ends with
 * {@code files=<n> runnable=<n> succeeded=<n> failed=<n> skipped=<n>}. A file is skipped when it needs a
 * dataset, a tool, an agent, human input or a trigger; a file that does not import has failed.
 */
@Component(service = Command.class, property = Command.NAME + "=dsl")
public final class DslCommand implements Command {

    static final String USAGE_TEXT = "usage: weft dsl check <file-or-folder>... [--home <dir>]\n"
            + "       weft dsl run <file-or-folder>... [--model-base-url <url>] [--api-key <key>] [--home <dir>]";

    private final DslService dsl;
    private final WorkflowEngine engine;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ModelRouting routing;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile WorkspaceRepository workspaces;

    @Activate
    public DslCommand(@Reference DslService dsl, @Reference WorkflowEngine engine) {
        this.dsl = dsl;
        this.engine = engine;
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) {
        String sub = arguments.isEmpty() ? "" : arguments.get(0);
        if ((!sub.equals("check") && !sub.equals("run")) || arguments.size() < 2) {
            err.println(USAGE_TEXT);
            out.println("error: " + (arguments.isEmpty() ? "missing subcommand" : !sub.equals("check") && !sub.equals("run")
                    ? "unknown subcommand '" + sub + "'" : "no file or folder given") + " (usage: weft dsl check|run ...)");
            return USAGE;
        }
        if (sub.equals("run")) {
            return new DslRun(dsl, engine, () -> routing, () -> workspaces).run(arguments.subList(1, arguments.size()), out, err);
        }
        List<Path> files = new ArrayList<>();
        for (String argument : arguments.subList(1, arguments.size())) {
            Path path = Path.of(argument);
            if (!Files.exists(path)) {
                out.println("error: " + argument + " does not exist");
                return USAGE;
            }
            try {
                files.addAll(dslFiles(path));
            } catch (IOException e) {
                out.println("error: cannot read " + argument + ": " + e.getMessage());
                return FAILED;
            }
        }
        int imported = 0;
        int withWarnings = 0;
        int failed = 0;
        for (Path file : files) {
            DslImport result;
            try {
                result = dsl.read(Files.readAllBytes(file));
            } catch (IOException | OutOfMemoryError e) {
                out.println(file + ": failed");
                out.println("  error dsl_unreadable: " + e.getMessage());
                failed++;
                continue;
            }
            if (result.imported()) {
                imported++;
                if (!result.warnings().isEmpty()) {
                    withWarnings++;
                }
                out.println(file + ": imported" + (result.warnings().isEmpty() ? ""
                        : " with " + result.warnings().size() + " warning(s)"));
            } else {
                failed++;
                out.println(file + ": failed");
            }
            for (Issue issue : result.issues()) {
                out.println("  " + issue);
            }
        }
        out.println("files=" + files.size() + " imported=" + imported + " warnings=" + withWarnings + " failed=" + failed);
        return OK;
    }

    /** A file as it is; a folder's {@code .yml} and {@code .yaml} files, in path order, searched deeply. */
    static List<Path> dslFiles(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".yml") || f.getFileName().toString().endsWith(".yaml"))
                    .sorted().toList();
        }
    }
}
