package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator upgrades by unpacking the new version into another folder and starting it on the
 * same home: the home's data survives, and only the new install's bundles run.
 */
class UpgradeIT {

    @TempDir
    Path work;

    @Test
    void a_new_install_on_an_old_home_runs_only_its_own_bundles_and_keeps_the_data() throws Exception {
        Path zip = Path.of(System.getProperty("weft.dist.zip"));
        Path home = work.resolve("home");
        Path first = unpack(zip, work.resolve("first"));
        Path second = unpack(zip, work.resolve("second"));

        String workspace;
        Process server = start(first, home);
        try {
            Http http = awaitHealthy(home);
            workspace = http.get("/console/api/workspaces/current").json().path("id").asText();
            http.post("/console/api/workspaces/info", "application/json", "{\"name\": \"Kept across upgrades\"}");
        } finally {
            stop(server);
        }

        server = start(second, home);
        try {
            Http http = awaitHealthy(home);
            JsonNode bundles = http.get("/console/api/plugins").json().path("bundles");
            List<String> notFromSecond = new ArrayList<>();
            int platform = 0;
            for (JsonNode bundle : bundles) {
                String source = bundle.path("source").asText();
                if (source.equals("platform")) {
                    platform++;
                } else if (!source.equals("system")) {
                    notFromSecond.add(bundle.path("location").asText());
                }
            }
            assertThat(notFromSecond).as("bundles still installed from the first install").isEmpty();
            assertThat(platform).isEqualTo(Jars.jarsIn(second.resolve("bundles")).size());
            JsonNode current = http.get("/console/api/workspaces/current").json();
            assertThat(current.path("id").asText()).isEqualTo(workspace);
            assertThat(current.path("name").asText()).isEqualTo("Kept across upgrades");
        } finally {
            stop(server);
        }
    }

    private int port;

    private Process start(Path install, Path home) throws Exception {
        port = WeftOptions.freePort();
        ProcessBuilder builder = new ProcessBuilder(install.resolve("bin/weft").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("server-" + port + ".out").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("WEFT_HOME", home.toString());
        builder.environment().put("WEFT_HTTP_PORT", String.valueOf(port));
        return builder.start();
    }

    private Http awaitHealthy(Path home) {
        Http http = new Http(port);
        Await.until("health 200", Duration.ofSeconds(30), () -> {
            Http.Answer health = http.tryGet("/api/health");
            return health != null && health.status() == 200;
        });
        return http;
    }

    private static void stop(Process server) throws InterruptedException {
        server.destroy();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static Path unpack(Path zip, Path into) throws Exception {
        Files.createDirectories(into);
        assertThat(new ProcessBuilder("unzip", "-q", zip.toString(), "-d", into.toString()).inheritIO().start()
                .waitFor()).isZero();
        try (var top = Files.list(into)) {
            return top.findFirst().orElseThrow();
        }
    }
}
