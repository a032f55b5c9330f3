package dev.weft.launcher;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where things are. The install folder holds what ships ({@code lib/}, {@code bundles/},
 * {@code examples/}); the home folder ({@code WEFT_HOME}, by default the install folder) holds
 * what the operator and the server write ({@code conf/}, {@code deploy/}, {@code data/},
 * {@code logs/}, {@code cache/}).
 */
public record Layout(Path install, Path home) {

    public Layout {
        install = Objects.requireNonNull(install, "install").toAbsolutePath().normalize();
        home = Objects.requireNonNull(home, "home").toAbsolutePath().normalize();
    }

    /**
     * The layout of this process: the install folder from the {@code weft.install} system property
     * (set by {@code bin/weft}) or else the folder above the launcher jar; the home folder from
     * {@code WEFT_HOME}, or the {@code weft.home} system property, or else the install folder.
     */
    public static Layout detect(Map<String, String> env) {
        Path install = property("weft.install").map(Path::of).orElseGet(Layout::installOfLauncherJar);
        String home = env.getOrDefault("WEFT_HOME", System.getProperty("weft.home", ""));
        return new Layout(install, home.isBlank() ? install : Path.of(home));
    }

    public Path lib() {
        return install.resolve("lib");
    }

    public Path bundles() {
        return install.resolve("bundles");
    }

    public Path conf() {
        return home.resolve("conf");
    }

    public Path deploy() {
        return home.resolve("deploy");
    }

    public Path data() {
        return home.resolve("data");
    }

    public Path logs() {
        return home.resolve("logs");
    }

    public Path cache() {
        return home.resolve("cache");
    }

    /**
     * Creates the home's folders that do not exist yet.
     *
     * @throws IOException when one cannot be created, for example for lack of permission
     */
    public void prepare() throws IOException {
        for (Path folder : List.of(conf(), deploy(), data(), logs(), cache())) {
            Files.createDirectories(folder);
        }
    }

    private static java.util.Optional<String> property(String name) {
        return java.util.Optional.ofNullable(System.getProperty(name)).filter(value -> !value.isBlank());
    }

    private static Path installOfLauncherJar() {
        try {
            Path jar = Path.of(Layout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // <install>/lib/weft-launcher.jar
            Path lib = jar.getParent();
            return lib != null && lib.getParent() != null ? lib.getParent() : Path.of(".");
        } catch (URISyntaxException | SecurityException e) {
            return Path.of(".");
        }
    }
}
