package dev.weft.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The bundles that make up the platform: every jar in the install's {@code bundles/} folder. The
 * launcher installs them; the integration tests boot the same list.
 */
public final class BundleSet {

    /** Bundles that must run before anything logs or uses {@link java.util.ServiceLoader}. */
    private static final Set<String> INFRASTRUCTURE_PREFIXES =
            Set.of("slf4j.", "org.apache.aries.spifly.", "org.objectweb.asm");

    /**
     * One bundle of the set.
     *
     * @param file the jar
     * @param symbolicName its Bundle-SymbolicName, without directives
     * @param version its Bundle-Version, normalised as the framework writes it
     * @param fragment whether it is a fragment (fragments are never started)
     * @param startLevel the start level it gets
     */
    public record Entry(Path file, String symbolicName, String version, boolean fragment, int startLevel) {
    }

    private BundleSet() {
    }

    /**
     * The bundles of a folder, sorted by file name.
     *
     * @throws IOException when the folder or a jar cannot be read, or a jar is not a bundle
     */
    public static List<Entry> read(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new IOException("no bundles in " + folder);
            }
            List<Entry> entries = new java.util.ArrayList<>(jars.size());
            for (Path jar : jars) {
                entries.add(entry(jar));
            }
            return List.copyOf(entries);
        }
    }

    private static Entry entry(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            Attributes main = manifest == null ? null : manifest.getMainAttributes();
            String bsn = main == null ? null : main.getValue("Bundle-SymbolicName");
            if (bsn == null) {
                throw new IOException(jar.getFileName() + " is not an OSGi bundle (no Bundle-SymbolicName)");
            }
            String name = bsn.split(";", 2)[0].trim();
            boolean fragment = main.getValue("Fragment-Host") != null;
            String version = main.getValue("Bundle-Version");
            return new Entry(jar, name, normalised(version), fragment, startLevel(name));
        }
    }

    /** A Bundle-Version as {@code org.osgi.framework.Version.toString()} writes it. */
    static String normalised(String version) {
        if (version == null || version.isBlank()) {
            return "0.0.0";
        }
        try {
            return org.osgi.framework.Version.parseVersion(version.trim()).toString();
        } catch (IllegalArgumentException e) {
            return version.trim();
        }
    }

    static int startLevel(String symbolicName) {
        for (String prefix : INFRASTRUCTURE_PREFIXES) {
            if (symbolicName.startsWith(prefix)) {
                return FrameworkConfig.LEVEL_INFRASTRUCTURE;
            }
        }
        return FrameworkConfig.LEVEL_PLATFORM;
    }
}
