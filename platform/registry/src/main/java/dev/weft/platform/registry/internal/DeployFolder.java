package dev.weft.platform.registry.internal;

import dev.weft.platform.registry.BundleReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The jars of {@code deploy/} that the framework has not installed, each with the reason. File
 * Install polls the folder, so a jar first seen (or last changed) less than {@link #GRACE} ago is
 * reported as pending rather than failed.
 */
final class DeployFolder {

    static final Duration GRACE = Duration.ofSeconds(3);

    private final Path folder;
    private final Clock clock;
    private final Map<Path, Seen> seen = new ConcurrentHashMap<>();

    DeployFolder(Path folder, Clock clock) {
        this.folder = Origins.normal(folder);
        this.clock = clock;
    }

    /**
     * Reports for the jars no installed bundle was installed from.
     *
     * @param installed the locations of every installed bundle
     * @param installedNames the symbolic name and version ({@code name;version}) of every installed bundle
     */
    List<BundleReport> notInstalled(Set<String> installed, Set<String> installedNames) {
        if (folder == null || !Files.isDirectory(folder)) {
            return List.of();
        }
        Set<Path> installedPaths = new HashSet<>();
        installed.forEach(location -> Origins.path(location).ifPresent(installedPaths::add));
        List<BundleReport> reports = new ArrayList<>();
        Set<Path> present = new HashSet<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                Path path = Origins.normal(jar);
                present.add(path);
                Seen since = observe(path);
                if (!installedPaths.contains(path) && since != null) {
                    reports.add(report(path, since, installedNames));
                }
            }
        } catch (IOException e) {
            // the folder vanished or cannot be read: nothing to report from it
        }
        seen.keySet().retainAll(present);
        return reports;
    }

    /** When this version of the file was first seen; null when it vanished meanwhile. */
    private Seen observe(Path jar) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
            Seen now = new Seen(attributes.lastModifiedTime().toMillis(), attributes.size(), clock.instant());
            return seen.compute(jar, (path, before) -> before != null && before.sameFile(now) ? before : now);
        } catch (IOException e) {
            return null;
        }
    }

    private BundleReport report(Path jar, Seen since, Set<String> installedNames) {
        String location = "deploy/" + jar.getFileName();
        Inspection inspection = inspect(jar);
        boolean pending = since.at().plus(GRACE).isAfter(clock.instant());
        String error = inspection.error;
        if (error == null && installedNames.contains(inspection.symbolicName + ";" + inspection.version)) {
            error = "a bundle " + inspection.symbolicName + " " + inspection.version
                    + " is already installed from another location";
        }
        if (error == null) {
            error = "the framework did not install it; see the log";
        }
        return new BundleReport(null, inspection.symbolicName, inspection.version,
                pending ? "PENDING" : "INSTALL_FAILED", inspection.fragment, Origins.DEPLOY, location, List.of(),
                pending ? null : error);
    }

    /** What a jar's manifest says, or why it cannot be read as a bundle. */
    static Inspection inspect(Path jar) {
        try (JarFile file = new JarFile(jar.toFile(), true)) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return Inspection.failed("not an OSGi bundle: the jar has no manifest");
            }
            Attributes main = manifest.getMainAttributes();
            String bsn = main.getValue("Bundle-SymbolicName");
            if (bsn == null || bsn.isBlank()) {
                return Inspection.failed("not an OSGi bundle: the manifest has no Bundle-SymbolicName");
            }
            String name = bsn.split(";", 2)[0].strip();
            String version = main.getValue("Bundle-Version");
            return new Inspection(name, version == null ? "0.0.0" : version.strip(),
                    main.getValue("Fragment-Host") != null, null);
        } catch (IOException | SecurityException e) {
            return Inspection.failed("not a valid jar: " + e.getMessage());
        }
    }

    record Inspection(String symbolicName, String version, boolean fragment, String error) {
        static Inspection failed(String error) {
            return new Inspection(null, null, false, error);
        }
    }

    /** A version of a file (modification time and size) and when it was first seen. */
    private record Seen(long modified, long size, Instant at) {
        boolean sameFile(Seen other) {
            return modified == other.modified && size == other.size;
        }
    }
}
