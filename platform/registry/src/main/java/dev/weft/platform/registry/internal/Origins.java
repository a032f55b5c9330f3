package dev.weft.platform.registry.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells where a bundle location points: the install's {@code bundles/}, the home's {@code deploy/},
 * the framework itself, or elsewhere, and shows it without the server's file-system layout.
 * Locations come as {@code file:/x}, {@code file:///x}, {@code reference:file:/x} or plain paths.
 */
final class Origins {

    static final String PLATFORM = "platform";
    static final String DEPLOY = "deploy";
    static final String SYSTEM = "system";
    static final String OTHER = "other";

    private final Path bundles;
    private final Path deploy;

    Origins(Path bundles, Path deploy) {
        this.bundles = normal(bundles);
        this.deploy = normal(deploy);
    }

    String source(String location) {
        if ("System Bundle".equals(location)) {
            return SYSTEM;
        }
        Optional<Path> path = path(location);
        if (path.isPresent() && bundles != null && path.get().startsWith(bundles)) {
            return PLATFORM;
        }
        if (path.isPresent() && deploy != null && path.get().startsWith(deploy)) {
            return DEPLOY;
        }
        return OTHER;
    }

    /** {@code bundles/x.jar} or {@code deploy/x.jar} where the location lies there; else as it is. */
    String display(String location) {
        Optional<Path> path = path(location);
        if (path.isPresent() && bundles != null && path.get().startsWith(bundles)) {
            return "bundles/" + slashed(bundles.relativize(path.get()));
        }
        if (path.isPresent() && deploy != null && path.get().startsWith(deploy)) {
            return "deploy/" + slashed(deploy.relativize(path.get()));
        }
        return location;
    }

    /** The file a location names, when it names one. */
    static Optional<Path> path(String location) {
        if (location == null) {
            return Optional.empty();
        }
        String rest = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        try {
            if (rest.startsWith("file:")) {
                return Optional.of(normal(Path.of(URI.create(rest))));
            }
            if (rest.startsWith("/")) {
                return Optional.of(normal(Path.of(rest)));
            }
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            // not a file location
        }
        return Optional.empty();
    }

    /**
     * The path with symbolic links resolved where it exists (File Install resolves them in the
     * locations it writes), else just absolute and normalised.
     */
    static Path normal(Path path) {
        if (path == null) {
            return null;
        }
        Path absolute = path.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (java.io.IOException | SecurityException e) {
            return absolute;
        }
    }

    private static String slashed(Path relative) {
        return relative.toString().replace('\\', '/');
    }
}
