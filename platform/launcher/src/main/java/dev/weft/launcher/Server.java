package dev.weft.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Runs the OSGi framework with the platform's bundles until the process is asked to stop.
 */
final class Server {

    private static final String LOCATION_PREFIX = "reference:";
    private static final long STOP_TIMEOUT_MS = 30_000;

    private final Layout layout;
    private final Map<String, String> properties;

    Server(Layout layout, Map<String, String> properties) {
        this.layout = layout;
        this.properties = properties;
    }

    /** Starts the framework and blocks until it has stopped. */
    void run() throws IOException, BundleException, InterruptedException {
        long started = System.nanoTime();
        Framework framework = start();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("weft-shutdown").unstarted(() -> stop(framework)));
        log("INFO", "Weft " + properties.get("weft.version") + " started in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms; listening on http://"
                + properties.get("org.apache.felix.http.host") + ":" + properties.get("org.osgi.service.http.port")
                + " (home " + layout.home() + ")");
        Path address = layout.data().resolve(SERVER_URL_FILE);
        writeAddress(framework, address);
        FrameworkEvent stopped;
        try {
            stopped = framework.waitForStop(0);
        } finally {
            Files.deleteIfExists(address);
        }
        if (stopped.getType() == FrameworkEvent.ERROR) {
            throw new BundleException("the framework stopped with an error", stopped.getThrowable());
        }
    }

    /** The file under {@code data/} that tells operator commands where the running server listens. */
    static final String SERVER_URL_FILE = "server.url";

    /**
     * Writes the address the server listens on (as the HTTP runtime reports it, so that port 0
     * gives the real port) for operator commands such as {@code bin/weft app deploy}.
     */
    private void writeAddress(Framework framework, Path file) throws IOException, InterruptedException {
        String configured = "http://" + connectable(properties.get("org.apache.felix.http.host")) + ":"
                + properties.get("org.osgi.service.http.port");
        String url = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (url == null && System.nanoTime() < deadline) {
            try {
                org.osgi.framework.ServiceReference<?>[] runtimes = framework.getBundleContext()
                        .getAllServiceReferences(null, "(osgi.http.endpoint=*)");
                if (runtimes != null) {
                    for (org.osgi.framework.ServiceReference<?> runtime : runtimes) {
                        Object endpoint = runtime.getProperty("osgi.http.endpoint");
                        String first = endpoint instanceof String[] all && all.length > 0 ? all[0]
                                : endpoint instanceof java.util.Collection<?> all && !all.isEmpty()
                                        ? String.valueOf(all.iterator().next()) : endpoint == null ? null : endpoint.toString();
                        if (first != null && first.startsWith("http")) {
                            java.net.URI uri = java.net.URI.create(first);
                            url = uri.getScheme() + "://" + connectable(uri.getHost()) + ":" + uri.getPort();
                        }
                    }
                }
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            if (url == null) {
                Thread.sleep(100);
            }
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, (url == null ? configured : url) + "\n");
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A host a client on this machine can connect to: the wildcard addresses mean loopback. */
    private static String connectable(String host) {
        if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return "127.0.0.1";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Starts the framework with the platform's bundles and returns once every start level is reached. */
    Framework start() throws IOException, BundleException, InterruptedException {
        List<BundleSet.Entry> bundles = BundleSet.read(layout.bundles());
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path (lib/)"))
                .newFramework(new HashMap<>(properties));
        framework.init();
        CountDownLatch startLevelReached = new CountDownLatch(1);
        framework.getBundleContext().addFrameworkListener(event -> {
            if (event.getType() == FrameworkEvent.STARTED) {
                startLevelReached.countDown();
            } else if (event.getType() == FrameworkEvent.ERROR) {
                log("ERROR", "bundle " + name(event.getBundle()) + ": " + message(event.getThrowable()));
            }
        });
        synchronise(framework.getBundleContext(), bundles);
        framework.start();
        startLevelReached.await();
        return framework;
    }

    /**
     * Brings the bundles installed in the framework's cache in line with {@code bundles/}: new jars
     * are installed, changed ones updated, and platform bundles no longer there uninstalled, also
     * those of an older install folder that used the same home. Plug-ins installed from
     * {@code deploy/} (File Install's {@code file:} locations) are left alone.
     */
    private void synchronise(BundleContext context, List<BundleSet.Entry> entries) throws IOException, BundleException {
        Map<String, Bundle> installed = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            // the launcher installs by reference, and nothing else does
            if (bundle.getLocation().startsWith(LOCATION_PREFIX)) {
                installed.put(bundle.getLocation(), bundle);
            }
        }
        Set<String> wanted = new HashSet<>();
        for (BundleSet.Entry entry : entries) {
            wanted.add(LOCATION_PREFIX + entry.file().toUri());
        }
        // first out, so that a bundle moved to another folder can come back in under its name
        for (Map.Entry<String, Bundle> stale : installed.entrySet()) {
            if (!wanted.contains(stale.getKey())) {
                stale.getValue().uninstall();
            }
        }
        for (BundleSet.Entry entry : entries) {
            String location = LOCATION_PREFIX + entry.file().toUri();
            Bundle bundle = installed.get(location);
            if (bundle == null) {
                bundle = context.installBundle(location);
            } else if (changed(entry, bundle)) {
                bundle.update();
            }
            bundle.adapt(BundleStartLevel.class).setStartLevel(entry.startLevel());
            if (!entry.fragment()) {
                bundle.start();
            }
        }
    }

    /** Whether a jar differs from the installed bundle: another version, or written since it was installed. */
    private static boolean changed(BundleSet.Entry entry, Bundle bundle) throws IOException {
        return !entry.version().equals(bundle.getVersion().toString())
                || Files.getLastModifiedTime(entry.file()).toMillis() > bundle.getLastModified();
    }

    private static void stop(Framework framework) {
        try {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                log("INFO", "Weft is stopping");
                framework.stop();
                framework.waitForStop(STOP_TIMEOUT_MS);
            }
        } catch (BundleException | InterruptedException e) {
            log("ERROR", "the framework did not stop cleanly: " + e.getMessage());
        }
    }

    private static String name(Bundle bundle) {
        return bundle == null ? "?" : bundle.getSymbolicName() + " " + bundle.getVersion();
    }

    private static String message(Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == error ? String.valueOf(error.getMessage()) : error.getMessage() + " (" + root + ")";
    }

    static void log(String level, String message) {
        System.out.println(java.time.LocalDateTime.now().format(ConsoleLog.TIME) + " " + level + " weft - " + message);
    }
}
