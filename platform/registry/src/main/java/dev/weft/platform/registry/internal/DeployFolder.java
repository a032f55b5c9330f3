package dev.weft.platform.registry.internal;

import dev.weft.platform.registry.BundleReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The jars of {@code deploy/} that the framework has not installed, each with the reason. File
 * Install polls the folder, so a jar younger than {@link #GRACE} is reported as pending.
 */
final class DeployFolder {

    static final Duration GRACE = Duration.ofSeconds(5);

    private final Path folder;
    private final Clock clock;

    DeployFolder(Path folder, Clock clock) {
        this.folder = folder;
        this.clock = clock;
    }

    /**
     * Reports for the jars whose location is not among the installed bundles' locations.
     *
     * @param installed the locations of every installed bundle
     * @param installedNames the symbolic name and version ({@code name;version}) of every installed bundle
     */
    List<BundleReport> notInstalled(Set<String> installed, Set<String> installedNames) {
        if (folder == null || !Files.isDirectory(folder)) {
            return List.of();
        }
        List<BundleReport> reports = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                if (!isInstalled(jar, installed)) {
                    reports.add(report(jar, installedNames));
                }
            }
        } catch (IOException e) {
            // the folder vanished or cannot be read: nothing to report from it
        }
        return reports;
    }

    private static boolean isInstalled(Path jar, Set<String> installed) {
        String uri = jar.toAbsolutePath().normalize().toUri().toString();
        String path = jar.toAbsolutePath().normalize().toString();
        return installed.stream().anyMatch(location -> location.equals(uri)
                || location.endsWith(path) || location.equals("reference:" + uri));
    }

    private BundleReport report(Path jar, Set<String> installedNames) {
        String location = jar.toAbsolutePath().normalize().toUri().toString();
        Inspection inspection = inspect(jar);
        boolean young;
        try {
            young = Files.getLastModifiedTime(jar).toInstant().plus(GRACE).isAfter(clock.instant());
        } catch (IOException e) {
            young = false;
        }
        String error = inspection.error;
        if (error == null && installedNames.contains(inspection.symbolicName + ";" + inspection.version)) {
            error = "a bundle " + inspection.symbolicName + " " + inspection.version
                    + " is already installed from another location";
        }
        if (error == null) {
            error = "the framework did not install it; see the log";
        }
        return new BundleReport(null, inspection.symbolicName, inspection.version,
                young ? "PENDING" : "INSTALL_FAILED", inspection.fragment, location, List.of(), young ? null : error);
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
}
