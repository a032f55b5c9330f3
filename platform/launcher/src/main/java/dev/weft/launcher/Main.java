package dev.weft.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleException;

/**
 * The entry point of {@code bin/weft}. With no arguments it runs the server in the foreground;
 * otherwise it runs an operator command, prints that command's one-line summary as the last line
 * on standard output, and exits 0 when the command ran or 2 on a usage error.
 */
public final class Main {

    /** Exit status of a command that ran. */
    public static final int OK = 0;
    /** Exit status of a command that failed while running. */
    public static final int FAILED = 1;
    /** Exit status of a usage error: unknown command, bad argument or environment. */
    public static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            Usage: weft [command]

            With no command, runs the Weft server in the foreground until interrupted.

            Commands:
              version                          print the version of this installation
              help                             print this help
              dsl check <file-or-folder>...    check Dify DSL files: errors and warnings of each
                                               (add --home <dir> to check against that home's plug-ins)
              dsl run <file-or-folder>...      run Dify DSL files with generated inputs
                                               [--model-base-url <url>] [--api-key <key>]
              app deploy <dsl-file>            import (or update) an app in the server running from
                                               WEFT_HOME, publish it, print app_id=<id> api_key=<key>
                                               [--workspace <name>] [--app-id <id-or-name>] [--new-key]
              admin create-owner               create the owner before the first start
                                               --email <email> --password-file <file> [--name <name>]
              admin reset-password             set a forgotten password (the server stopped); signs the
                                               account out everywhere: --email <email> --password-file <file>
              bench rag <beir-folder>          retrieval benchmark on a folder in BEIR layout
                                               [--limit <documents>] [--language <auto|en|zh|ja|cjk>]

            Environment:
              WEFT_HOME        folder for conf/, deploy/, data/, logs/ and cache/ (default: the install folder)
              WEFT_HTTP_PORT   port of the HTTP listener (default: 8080)
              WEFT_HTTP_HOST   address of the HTTP listener (default: 127.0.0.1)
              WEFT_BEHIND_PROXY  true behind a TLS-terminating proxy: trust its X-Forwarded-* headers
              WEFT_JAVA_OPTS   extra options for the Java virtual machine
              JAVA_HOME        the Java 21+ installation to use (default: java on the PATH)
            """;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    Main(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int status = new Main(System.getenv(), System.out, System.err).run(args);
        System.exit(status);
    }

    int run(String[] args) {
        String command = args.length == 0 ? "run" : args[0];
        try {
            return switch (command) {
                case "run" -> {
                    expectNoMoreArguments(args);
                    yield serve();
                }
                case "version", "--version" -> {
                    expectNoMoreArguments(args);
                    out.println("weft " + version());
                    yield OK;
                }
                case "help", "--help", "-h" -> {
                    out.print(USAGE_TEXT);
                    out.println("weft " + version() + ": 'weft' runs the server; 'weft version' prints the version");
                    yield OK;
                }
                case "app" -> new AppDeploy(env, out).run(List.of(args).subList(1, args.length));
                default -> new CommandRunner(env, out, err).run(command, List.of(args).subList(1, args.length));
            };
        } catch (UsageException e) {
            err.print(USAGE_TEXT);
            out.println("error: " + e.getMessage() + " (see 'weft help')");
            return USAGE;
        }
    }

    @SuppressWarnings("try") // the lock is held for the life of the server, not used
    private int serve() throws UsageException {
        Layout layout = Layout.detect(env);
        Map<String, String> properties;
        try {
            layout.prepare();
            properties = FrameworkConfig.properties(layout, env, version());
        } catch (IOException e) {
            out.println("error: cannot prepare the home folder " + layout.home() + ": " + e.getMessage());
            return FAILED;
        }
        try (InstanceLock lock = InstanceLock.acquire(layout.data())) {
            ConsoleLog.install(layout.logs());
            new Server(layout, properties).run();
            return OK;
        } catch (IOException | BundleException e) {
            out.println("error: Weft could not start: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    private static void expectNoMoreArguments(String[] args) throws UsageException {
        if (args.length > 1) {
            throw new UsageException("unexpected argument '" + args[1] + "'");
        }
    }

    /** The version of this installation, from the launcher jar's manifest. */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
