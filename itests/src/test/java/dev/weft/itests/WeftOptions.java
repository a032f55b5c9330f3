package dev.weft.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.weft.launcher.BundleSet;
import dev.weft.launcher.FrameworkConfig;
import dev.weft.launcher.Layout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ops4j.pax.exam.Option;

/**
 * The Pax Exam configuration of the platform: the distribution's own {@code bundles/} folder, with
 * the start levels and framework properties {@code bin/weft} gives them, on a fresh home folder and
 * a free loopback port.
 */
final class WeftOptions {

    /** Pax Exam manages the framework's storage and start levels itself. */
    private static final Set<String> LEFT_TO_PAX_EXAM = Set.of("org.osgi.framework.storage",
            "org.osgi.framework.storage.clean", "org.osgi.framework.startlevel.beginning");

    /** Above every level the platform uses, so that Pax Exam's probe (level 5) starts too. */
    private static final int FRAMEWORK_LEVEL = 10;

    private WeftOptions() {
    }

    static Option[] platform() {
        return platform(Map.of());
    }

    /** The platform as {@code bin/weft} boots it with these environment variables (and a free port). */
    static Option[] platform(Map<String, String> environment) {
        try {
            Path install = distribution();
            Path home = Files.createTempDirectory("weft-itest-home");
            Layout layout = new Layout(install, home);
            layout.prepare();
            Map<String, String> env = new java.util.HashMap<>(environment);
            env.put("WEFT_HTTP_PORT", String.valueOf(freePort()));
            Map<String, String> properties = FrameworkConfig.properties(layout, env,
                    System.getProperty("weft.version", "test"));
            List<Option> options = new ArrayList<>();
            options.add(cleanCaches());
            options.add(frameworkStartLevel(FRAMEWORK_LEVEL));
            properties.forEach((name, value) -> {
                if (!LEFT_TO_PAX_EXAM.contains(name)) {
                    options.add(frameworkProperty(name).value(value));
                }
            });
            for (BundleSet.Entry entry : BundleSet.read(layout.bundles())) {
                options.add(bundle(entry.file().toUri().toString()).startLevel(entry.startLevel()).start(!entry.fragment()));
            }
            options.add(junitBundles());
            // the probe's own test libraries, as bundles from the test class path
            options.add(bundle(jarOf(org.assertj.core.api.Assertions.class)).startLevel(FrameworkConfig.LEVEL_PLATFORM));
            options.add(bundle(jarOf(net.bytebuddy.ByteBuddy.class)).startLevel(FrameworkConfig.LEVEL_PLATFORM));
            // the fake OpenAI-compatible server, for tests that call models
            options.add(bundle(jarOf(dev.weft.provider.testing.FakeOpenAiServer.class)).startLevel(FrameworkConfig.LEVEL_PLATFORM));
            options.add(systemProperty("org.ops4j.pax.url.mvn.offline").value("true"));
            // sandbox workers start with the first code run: most test classes never run code
            options.add(frameworkProperty("weft.sandbox.prestart").value("0"));
            return options.toArray(Option[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The unpacked distribution the build made. */
    static Path distribution() {
        String folder = System.getProperty("weft.dist");
        if (folder == null || !Files.isDirectory(Path.of(folder, "bundles"))) {
            throw new IllegalStateException("build the distribution first: no bundles/ in " + folder);
        }
        return Path.of(folder);
    }

    private static String jarOf(Class<?> type) {
        try {
            return type.getProtectionDomain().getCodeSource().getLocation().toURI().toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
