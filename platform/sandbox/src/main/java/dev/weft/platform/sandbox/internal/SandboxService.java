package dev.weft.platform.sandbox.internal;

import dev.weft.api.sandbox.CodeRequest;
import dev.weft.api.sandbox.CodeResult;
import dev.weft.api.sandbox.CodeSandbox;
import dev.weft.api.sandbox.SandboxException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's {@link CodeSandbox}: worker processes running GraalPy and GraalJS, configured by
 * PID {@code dev.weft.sandbox}. The workers' jars are in {@code lib/sandbox/} of the installation.
 */
@Component(service = CodeSandbox.class, configurationPid = SandboxService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SandboxService.Config.class)
public final class SandboxService implements CodeSandbox {

    static final String PID = "dev.weft.sandbox";
    private static final Logger LOG = LoggerFactory.getLogger(SandboxService.class);

    @ObjectClassDefinition(name = "Weft code sandbox")
    public @interface Config {
        @AttributeDefinition(description = "The most worker processes at once, which is the most code runs at once")
        int workers() default 2;

        @AttributeDefinition(description = "Workers started ahead of the first run; -1 reads the framework property "
                + "weft.sandbox.prestart, else 1")
        int prestart() default -1;

        @AttributeDefinition(description = "Seconds after start before the prestarted workers warm up, so that they "
                + "do not compete with the platform's own start for the processor")
        int prestart_delay_seconds() default 5;

        @AttributeDefinition(description = "Each worker's heap limit, in MB")
        int heap_mb() default 512;

        @AttributeDefinition(description = "A run's time limit when its node sets none, in seconds (Dify: 15)")
        int timeout_seconds() default 15;

        @AttributeDefinition(description = "The longest time limit a node may set, in seconds")
        int max_timeout_seconds() default 300;

        @AttributeDefinition(description = "How long a run waits for a free worker, in seconds")
        int queue_seconds() default 60;

        @AttributeDefinition(description = "Python modules guests may import, comma-separated; empty for the default list")
        String python_modules() default "";

        @AttributeDefinition(description = "What a guest may print before the rest is dropped, in bytes")
        int max_output_bytes() default 1024 * 1024;

        @AttributeDefinition(description = "The largest result a guest may return, as JSON, in bytes")
        int max_result_bytes() default 8 * 1024 * 1024;

        @AttributeDefinition(description = "Runs after which a worker is replaced")
        int runs_per_worker() default 500;

        @AttributeDefinition(description = "The worker's class path; empty for lib/sandbox/*.jar of the installation")
        String classpath() default "";
    }

    private WorkerPool pool;
    private String unavailable;

    @Activate
    void activate(BundleContext bundle, Config config) {
        try {
            String classpath = config.classpath().isBlank() ? installedClasspath(bundle.getProperty("weft.install"))
                    : config.classpath();
            int prestart = config.prestart() >= 0 ? config.prestart()
                    : intProperty(bundle.getProperty("weft.sandbox.prestart"), 1);
            Path home = Path.of(orDefault(bundle.getProperty("weft.home"), System.getProperty("java.io.tmpdir")));
            WorkerPool created = new WorkerPool(settings(config, classpath, home.resolve("cache").resolve("sandbox"),
                    prestart));
            pool = created;
            long delay = Math.max(0, config.prestart_delay_seconds());
            Thread.ofVirtual().name("weft-sandbox-prestart-delay").start(() -> {
                try {
                    Thread.sleep(delay * 1000);
                    created.prestart();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } catch (IOException | IllegalStateException e) {
            unavailable = e.getMessage();
            LOG.warn("The code sandbox cannot run code: {}", e.getMessage());
        }
    }

    static WorkerSettings settings(Config config, String classpath, Path cache, int prestart) throws IOException {
        Path scratch = Files.createDirectories(cache.resolve("scratch"));
        Path resources = Files.createDirectories(cache.resolve("polyglot"));
        cleanStaleScratch(scratch);
        List<String> modules = config.python_modules().isBlank() ? WorkerSettings.DEFAULT_PYTHON_MODULES
                : Arrays.stream(config.python_modules().split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
        return new WorkerSettings(Path.of(System.getProperty("java.home"), "bin", "java"), classpath, scratch, resources,
                Math.max(1, config.workers()), Math.max(0, prestart), Math.max(64, config.heap_mb()),
                Duration.ofSeconds(Math.max(1, config.timeout_seconds())),
                Duration.ofSeconds(Math.max(1, config.max_timeout_seconds())), Duration.ofSeconds(120),
                Duration.ofSeconds(Math.max(1, config.queue_seconds())), modules, config.max_output_bytes(),
                config.max_result_bytes(), Math.max(1, config.runs_per_worker()));
    }

    /** The jars in {@code lib/sandbox/} of the installation, as a class path. */
    static String installedClasspath(String install) throws IOException {
        if (install == null) {
            throw new IllegalStateException("the installation folder is not known (weft.install is not set)");
        }
        Path folder = Path.of(install, "lib", "sandbox");
        if (!Files.isDirectory(folder)) {
            throw new IllegalStateException("the sandbox runtime is not installed: " + folder + " is missing");
        }
        try (Stream<Path> jars = Files.list(folder)) {
            String classpath = jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted()
                    .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
            if (classpath.isEmpty()) {
                throw new IllegalStateException("the sandbox runtime is not installed: " + folder + " has no jars");
            }
            return classpath;
        }
    }

    private static void cleanStaleScratch(Path scratch) throws IOException {
        try (Stream<Path> stale = Files.list(scratch)) {
            for (Path folder : stale.toList()) {
                try (Stream<Path> files = Files.walk(folder)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static int intProperty(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    @Deactivate
    void deactivate() {
        if (pool != null) {
            pool.close();
        }
    }

    @Override
    public Set<String> languages() {
        return Set.of("python3", "javascript");
    }

    @Override
    public CodeResult run(CodeRequest request) {
        if (pool == null) {
            throw new SandboxException(SandboxException.UNAVAILABLE, "the code sandbox cannot run code: " + unavailable);
        }
        return pool.run(request);
    }
}
