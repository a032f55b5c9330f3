package dev.weft.platform.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.platform.registry.BundleReport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployFolderTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @TempDir
    Path deploy;

    private DeployFolder folder() {
        return new DeployFolder(deploy, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void should_report_a_corrupt_jar_as_install_failed_with_the_reason() throws IOException {
        Path jar = old(Files.writeString(deploy.resolve("broken.jar"), "this is not a zip"));

        List<BundleReport> reports = folder().notInstalled(Set.of(), Set.of());

        assertThat(reports).singleElement().satisfies(report -> {
            assertThat(report.id()).isNull();
            assertThat(report.state()).isEqualTo("INSTALL_FAILED");
            assertThat(report.location()).isEqualTo(jar.toUri().toString());
            assertThat(report.error()).startsWith("not a valid jar");
        });
    }

    @Test
    void should_report_a_plain_jar_as_not_a_bundle() throws IOException {
        old(jar("plain.jar", new Manifest()));

        assertThat(folder().notInstalled(Set.of(), Set.of())).singleElement()
                .extracting(BundleReport::error).asString().contains("no Bundle-SymbolicName");
    }

    @Test
    void should_report_a_duplicate_of_an_installed_bundle() throws IOException {
        old(jar("copy.jar", bundleManifest("com.example.thing", "1.0.0")));

        assertThat(folder().notInstalled(Set.of(), Set.of("com.example.thing;1.0.0"))).singleElement()
                .satisfies(report -> {
                    assertThat(report.symbolicName()).isEqualTo("com.example.thing");
                    assertThat(report.error()).contains("already installed");
                });
    }

    @Test
    void should_report_a_jar_dropped_moments_ago_as_pending_without_error() throws IOException {
        Path jar = jar("fresh.jar", bundleManifest("com.example.fresh", "1.0.0"));
        Files.setLastModifiedTime(jar, FileTime.from(NOW.minusSeconds(1)));

        assertThat(folder().notInstalled(Set.of(), Set.of())).singleElement().satisfies(report -> {
            assertThat(report.state()).isEqualTo("PENDING");
            assertThat(report.error()).isNull();
        });
    }

    @Test
    void should_leave_out_installed_jars_and_other_files() throws IOException {
        Path jar = old(jar("ok.jar", bundleManifest("com.example.ok", "1.0.0")));
        Files.writeString(deploy.resolve("README.txt"), "not a jar");

        assertThat(folder().notInstalled(Set.of(jar.toUri().toString()), Set.of())).isEmpty();
        assertThat(folder().notInstalled(Set.of("reference:" + jar.toUri()), Set.of())).isEmpty();
    }

    @Test
    void should_report_nothing_when_there_is_no_deploy_folder() {
        assertThat(new DeployFolder(deploy.resolve("missing"), Clock.systemUTC()).notInstalled(Set.of(), Set.of()))
                .isEmpty();
        assertThat(new DeployFolder(null, Clock.systemUTC()).notInstalled(Set.of(), Set.of())).isEmpty();
    }

    private Path old(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofMinutes(1))));
        return file;
    }

    private Path jar(String name, Manifest manifest) throws IOException {
        Path jar = deploy.resolve(name);
        manifest.getMainAttributes().putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // an empty jar with only a manifest
        }
        return jar;
    }

    private static Manifest bundleManifest(String bsn, String version) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        manifest.getMainAttributes().putValue("Bundle-Version", version);
        return manifest;
    }
}
