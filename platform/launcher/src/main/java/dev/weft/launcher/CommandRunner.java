package dev.weft.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Runs an operator command ({@code bin/weft <name> ...}): starts the platform without its HTTP
 * listener, on a temporary home unless {@code --home} names one, finds the command service whose
 * {@code weft.command} property is the name, runs it, and stops the platform. The platform's own
 * log goes to the home's log file only, so that the command's summary stays the last line.
 *
 * <p>The {@linkplain #HOME_COMMANDS home commands} ({@code admin}) change the installation itself,
 * so they run on the real home ({@code WEFT_HOME}, or {@code --home}), under the same instance lock
 * as the server: while the server runs on that home, they refuse to start.
 */
final class CommandRunner {

    /** How long to wait for the command's service once the platform has started. */
    private static final long COMMAND_WAIT_SECONDS = 3;

    /** Commands that run on the real home rather than on a temporary one. */
    static final Set<String> HOME_COMMANDS = Set.of("admin");

    static final String RUNNING_MESSAGE =
            "error: Weft is running from this home; stop it first or use the setup page";

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    CommandRunner(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    int run(String name, List<String> arguments) throws UsageException {
        if (!name.matches("[a-z][a-z0-9-]{0,40}")) {
            throw new UsageException("unknown command '" + name + "'");
        }
        List<String> rest = new ArrayList<>(arguments);
        Path home = option(rest, "--home");
        boolean onRealHome = HOME_COMMANDS.contains(name);
        boolean temporary = home == null && !onRealHome;
        try {
            Layout detected = Layout.detect(env);
            if (temporary) {
                home = Files.createTempDirectory("weft-command-");
            } else if (home == null) {
                home = detected.home();
            }
            Layout layout = new Layout(detected.install(), home);
            layout.prepare();
            Map<String, String> properties = new HashMap<>(FrameworkConfig.properties(layout, env, Main.version()));
            properties.put("org.apache.felix.http.enable", "false");
            InstanceLock lock;
            try {
                lock = InstanceLock.acquire(layout.data());
            } catch (UsageException | OverlappingFileLockException held) {
                if (!onRealHome) {
                    throw held;
                }
                // a server (or another command) holds this home's lock
                out.println(RUNNING_MESSAGE);
                return Main.FAILED;
            }
            try (lock) {
                ConsoleLog.installFileOnly(layout.logs());
                return invoke(layout, properties, name, rest);
            }
        } catch (IOException | BundleException e) {
            out.println("error: the command could not start Weft: " + e.getMessage());
            return Main.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.FAILED;
        } finally {
            if (temporary && home != null) {
                delete(home);
            }
        }
    }

    private int invoke(Layout layout, Map<String, String> properties, String name, List<String> arguments)
            throws IOException, BundleException, InterruptedException, UsageException {
        Server server = new Server(layout, properties);
        Framework framework = server.start();
        try {
            BundleContext context = framework.getBundleContext();
            Filter filter = context.createFilter("(weft.command=" + name + ")");
            ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, filter, null);
            tracker.open(true);
            try {
                Object command = tracker.waitForService(TimeUnit.SECONDS.toMillis(COMMAND_WAIT_SECONDS));
                if (command == null) {
                    throw new UsageException("unknown command '" + name + "'");
                }
                Method run = command.getClass().getMethod("run", List.class, PrintStream.class, PrintStream.class);
                Object status = run.invoke(command, List.copyOf(arguments), out, err);
                out.flush();
                return status instanceof Integer code ? code : Main.FAILED;
            } finally {
                tracker.close();
            }
        } catch (InvalidSyntaxException e) {
            throw new UsageException("'" + name + "' is not a command name");
        } catch (NoSuchMethodException | IllegalAccessException e) {
            out.println("error: the " + name + " command cannot be run: " + e);
            return Main.FAILED;
        } catch (InvocationTargetException e) {
            out.println("error: the " + name + " command failed: " + e.getCause());
            return Main.FAILED;
        } finally {
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
        }
    }

    /** Removes {@code --name value} from the arguments and returns the value as a path. */
    private static Path option(List<String> arguments, String name) throws UsageException {
        int index = arguments.indexOf(name);
        if (index < 0) {
            return null;
        }
        if (index + 1 >= arguments.size()) {
            throw new UsageException(name + " needs a value");
        }
        String value = arguments.get(index + 1);
        arguments.remove(index + 1);
        arguments.remove(index);
        return Path.of(value);
    }

    private static void delete(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

}
