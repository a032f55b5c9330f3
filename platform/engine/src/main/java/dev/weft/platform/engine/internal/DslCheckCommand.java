package dev.weft.platform.engine.internal;

import dev.weft.platform.engine.DslImport;
import dev.weft.platform.engine.DslService;
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
 */
@Component(service = Command.class, property = Command.NAME + "=dsl")
public final class DslCheckCommand implements Command {

    static final String USAGE_TEXT = "usage: weft dsl check <file-or-folder>... [--home <dir>]";

    private final DslService dsl;

    @Activate
    public DslCheckCommand(@Reference DslService dsl) {
        this.dsl = dsl;
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) {
        if (arguments.isEmpty() || !arguments.get(0).equals("check") || arguments.size() < 2) {
            err.println(USAGE_TEXT);
            out.println("error: " + (arguments.isEmpty() ? "missing subcommand" : !arguments.get(0).equals("check")
                    ? "unknown subcommand '" + arguments.get(0) + "'" : "no file or folder given") + " (" + USAGE_TEXT + ")");
            return USAGE;
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
