package dev.weft.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Puts jars into a deploy folder the way an operator would: whole, in one move. */
final class Jars {

    private Jars() {
    }

    /** Copies a jar into a folder under a name, atomically, keeping nothing half-written in sight. */
    static Path drop(Path jar, Path folder, String name) throws IOException {
        Path staged = Files.createTempFile(folder.getParent(), "staged", ".tmp");
        Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
        return Files.move(staged, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes bytes as a file of a folder, atomically, dated a minute ago. */
    static Path dropOld(byte[] content, Path folder, String name) throws IOException {
        Path staged = Files.createTempFile(folder.getParent(), "staged", ".tmp");
        Files.write(staged, content);
        Files.setLastModifiedTime(staged, FileTime.from(Instant.now().minusSeconds(60)));
        return Files.move(staged, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** The Bundle-SymbolicName of a jar, without directives, and whether it is a fragment. */
    record BundleName(String symbolicName, boolean fragment) {
    }

    static BundleName bundleName(Path jar) throws IOException {
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            Attributes main = file.getManifest().getMainAttributes();
            return new BundleName(main.getValue("Bundle-SymbolicName").split(";", 2)[0].trim(),
                    main.getValue("Fragment-Host") != null);
        }
    }

    /** The jars of a folder. */
    static java.util.List<Path> jarsIn(Path folder) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** The bytes of a jar holding only a manifest with these main attributes. */
    static byte[] manifestOnly(Map<String, String> attributes) throws IOException {
        return jar(attributes, Map.of());
    }

    /** The bytes of a jar with a manifest of these main attributes and these entries. */
    static byte[] jar(Map<String, String> attributes, Map<String, byte[]> entries) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.forEach((name, value) -> manifest.getMainAttributes().putValue(name, value));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            for (Map.Entry<String, byte[]> entry : new java.util.TreeMap<>(entries).entrySet()) {
                out.putNextEntry(new java.util.jar.JarEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The class file of a class, as the test's class loader has it. */
    static byte[] classFile(Class<?> type) throws IOException {
        String name = type.getName().replace('.', '/') + ".class";
        try (java.io.InputStream in = type.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
