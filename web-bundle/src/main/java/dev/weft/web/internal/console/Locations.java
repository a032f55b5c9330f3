package dev.weft.web.internal.console;

import java.nio.file.Path;

/**
 * Shows where a bundle came from without the server's file-system layout: {@code bundles/x.jar}
 * for the platform's own, {@code deploy/x.jar} for plug-ins dropped into the deploy folder.
 */
final class Locations {

    private final String bundlesUri;
    private final String deployUri;

    Locations(Path bundles, Path deploy) {
        this.bundlesUri = bundles == null ? null : folderUri(bundles);
        this.deployUri = deploy == null ? null : folderUri(deploy);
    }

    /** Where a location came from: platform, deploy, system or other. */
    String source(String location) {
        if ("System Bundle".equals(location)) {
            return "system";
        }
        String uri = strip(location);
        if (bundlesUri != null && uri.startsWith(bundlesUri)) {
            return "platform";
        }
        if (deployUri != null && uri.startsWith(deployUri)) {
            return "deploy";
        }
        return "other";
    }

    /** The location as shown: relative to the install or home folder where it lies in one. */
    String display(String location) {
        String uri = strip(location);
        if (bundlesUri != null && uri.startsWith(bundlesUri)) {
            return "bundles/" + uri.substring(bundlesUri.length());
        }
        if (deployUri != null && uri.startsWith(deployUri)) {
            return "deploy/" + uri.substring(deployUri.length());
        }
        return location;
    }

    private static String strip(String location) {
        return location.startsWith("reference:") ? location.substring("reference:".length()) : location;
    }

    private static String folderUri(Path folder) {
        String uri = folder.toAbsolutePath().normalize().toUri().toString();
        return uri.endsWith("/") ? uri : uri + "/";
    }

    static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }

}
