package dev.weft.platform.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OriginsTest {

    private final Origins origins = new Origins(Path.of("/opt/weft/bundles"), Path.of("/srv/weft/deploy"));

    @Test
    void should_recognise_every_spelling_of_a_file_location() {
        for (String location : new String[] {"file:/srv/weft/deploy/x.jar", "file:///srv/weft/deploy/x.jar",
                "reference:file:/srv/weft/deploy/x.jar", "/srv/weft/deploy/../deploy/x.jar"}) {
            assertThat(origins.source(location)).as(location).isEqualTo("deploy");
            assertThat(origins.display(location)).as(location).isEqualTo("deploy/x.jar");
        }
    }

    @Test
    void should_show_platform_bundles_relative_to_bundles() {
        assertThat(origins.source("reference:file:/opt/weft/bundles/h2.jar")).isEqualTo("platform");
        assertThat(origins.display("reference:file:/opt/weft/bundles/h2.jar")).isEqualTo("bundles/h2.jar");
    }

    @Test
    void should_see_through_symbolic_links_as_file_install_does(@org.junit.jupiter.api.io.TempDir Path temp)
            throws Exception {
        Path real = java.nio.file.Files.createDirectories(temp.resolve("real/deploy"));
        Path link = java.nio.file.Files.createSymbolicLink(temp.resolve("home"), temp.resolve("real"));
        Path jar = java.nio.file.Files.writeString(real.resolve("x.jar"), "jar");
        Origins throughLink = new Origins(null, link.resolve("deploy"));

        assertThat(throughLink.source(jar.toRealPath().toUri().toString())).isEqualTo("deploy");
        assertThat(throughLink.display("file:" + link.resolve("deploy/x.jar"))).isEqualTo("deploy/x.jar");
    }

    @Test
    void should_leave_other_locations_as_they_are() {
        assertThat(origins.source("System Bundle")).isEqualTo("system");
        assertThat(origins.source("mvn:org.example/thing/1.0")).isEqualTo("other");
        assertThat(origins.display("mvn:org.example/thing/1.0")).isEqualTo("mvn:org.example/thing/1.0");
        assertThat(origins.source("file:/elsewhere/deployed.jar")).isEqualTo("other");
    }
}
