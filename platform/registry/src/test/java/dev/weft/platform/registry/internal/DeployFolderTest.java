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

    private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

    @TempDir
    Path deploy;

    private final MutableClock clock = new MutableClock(START);
    private DeployFolder folder;

    /** A folder that has already looked once, longer ago than the grace period. */
    private DeployFolder folder() {
        if (folder == null) {
            folder = new DeployFolder(deploy, clock);
            folder.notInstalled(Set.of(), Set.of());
            clock.advance(DeployFolder.GRACE.plusSeconds(1));
        }
        return folder;
    }

    @Test
    void should_report_a_corrupt_jar_as_install_failed_with_the_reason() throws IOException {
        Path jar = old(Files.writeString(deploy.resolve("broken.jar"), "this is not a zip"));

        List<BundleReport> reports = folder().notInstalled(Set.of(), Set.of());

        assertThat(reports).singleElement().satisfies(report -> {
            assertThat(report.id()).isNull();
            assertThat(report.state()).isEqualTo("INSTALL_FAILED");
            assertThat(report.location()).isEqualTo("deploy/" + jar.getFileName());
            assertThat(report.source()).isEqualTo("deploy");
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
    void should_report_a_jar_seen_moments_ago_as_pending_without_error_then_as_failed() throws IOException {
        folder();
        old(Files.writeString(deploy.resolve("fresh.jar"), "not a zip"));

        assertThat(folder().notInstalled(Set.of(), Set.of())).singleElement().satisfies(report -> {
            assertThat(report.state()).isEqualTo("PENDING");
            assertThat(report.error()).isNull();
        });

        clock.advance(DeployFolder.GRACE);
        assertThat(folder().notInstalled(Set.of(), Set.of())).singleElement()
                .extracting(BundleReport::state).isEqualTo("INSTALL_FAILED");
    }

    @Test
    void should_give_a_replaced_jar_a_new_grace_period() throws IOException {
        Path jar = old(Files.writeString(deploy.resolve("changing.jar"), "not a zip"));
        assertThat(folder().notInstalled(Set.of(), Set.of())).singleElement()
                .extracting(BundleReport::state).isEqualTo("INSTALL_FAILED");

        Files.writeString(jar, "still not a zip, but longer");

        assertThat(folder().notInstalled(Set.of(), Set.of())).singleElement()
                .extracting(BundleReport::state).isEqualTo("PENDING");
    }

    @Test
    void should_leave_out_installed_jars_and_other_files() throws IOException {
        Path jar = old(jar("ok.jar", bundleManifest("com.example.ok", "1.0.0")));
        Files.writeString(deploy.resolve("README.txt"), "not a jar");

        assertThat(folder().notInstalled(Set.of(jar.toUri().toString()), Set.of())).isEmpty();
        assertThat(folder().notInstalled(Set.of("reference:" + jar.toUri()), Set.of())).isEmpty();
        assertThat(folder().notInstalled(Set.of("file:" + jar.toAbsolutePath()), Set.of())).isEmpty();
    }

    @Test
    void should_report_nothing_when_there_is_no_deploy_folder() {
        assertThat(new DeployFolder(deploy.resolve("missing"), Clock.systemUTC()).notInstalled(Set.of(), Set.of()))
                .isEmpty();
        assertThat(new DeployFolder(null, Clock.systemUTC()).notInstalled(Set.of(), Set.of())).isEmpty();
    }

    private Path old(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(START.minus(Duration.ofMinutes(1))));
        return file;
    }

    /** A clock the test moves forward. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration step) {
            now = now.plus(step);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private Path jar(String name, Manifest manifest) throws IOException {
        Path jar = deploy.resolve(name);
        manifest.getMainAttributes().putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.flush();
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
