package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a user gets it: the zip unpacked, {@code bin/weft} started on a fresh home,
 * and driven over HTTP and through its folders.
 */
class DistributionIT {

    @TempDir
    static Path work;

    static Path install;
    static Path home;
    static Process server;
    static Http http;
    static long millisToHealthy;

    @BeforeAll
    static void unzipAndStart() throws Exception {
        Path zip = Path.of(System.getProperty("weft.dist.zip"));
        Path unpacked = Files.createDirectories(work.resolve("unpacked"));
        assertThat(new ProcessBuilder("unzip", "-q", zip.toString(), "-d", unpacked.toString()).inheritIO().start()
                .waitFor()).isZero();
        try (Stream<Path> top = Files.list(unpacked)) {
            List<Path> folders = top.toList();
            assertThat(folders).as("the zip holds one folder").hasSize(1);
            install = folders.get(0);
        }
        home = work.resolve("home");
        int port = WeftOptions.freePort();
        http = new Http(port);
        long launched = System.nanoTime();
        server = weft(Map.of("WEFT_HOME", home.toString(), "WEFT_HTTP_PORT", String.valueOf(port)))
                .redirectOutput(work.resolve("server.out").toFile()).redirectErrorStream(true).start();
        Await.until("health 200", Duration.ofSeconds(30), () -> {
            Http.Answer health = http.tryGet("/api/health");
            return health != null && health.status() == 200;
        });
        millisToHealthy = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
            assertThat(Files.readString(work.resolve("server.out"))).contains("Weft is stopping");
            // the code sandbox's worker processes end with the server
            Await.until("no sandbox worker left", Duration.ofSeconds(10), () -> ProcessHandle.allProcesses()
                    .noneMatch(p -> p.info().commandLine().map(c -> c.contains(home.toString())
                            && c.contains("dev.weft.sandbox.worker.Worker")).orElse(false)));
        }
    }

    @Test
    void the_zip_holds_the_documented_layout() {
        assertThat(install.getFileName().toString()).isEqualTo("weft-" + System.getProperty("weft.version"));
        for (String entry : List.of("bin/weft", "lib/weft-launcher.jar", "lib/org.apache.felix.framework.jar",
                "bundles", "conf", "deploy", "examples/plugins/text-case.jar", "examples/plugins/v2/text-case.jar",
                "LICENSE", "NOTICE")) {
            assertThat(install.resolve(entry)).as(entry).exists();
        }
        assertThat(install.resolve("bin/weft")).isExecutable();
    }

    @Test
    void the_code_sandbox_warms_a_worker_process_of_its_own_after_start() {
        ProcessHandle worker = Await.until("a sandbox worker", Duration.ofSeconds(40), () -> server.toHandle().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("dev.weft.sandbox.worker.Worker")).orElse(false))
                .findFirst().orElse(null));
        String command = worker.info().commandLine().orElseThrow();
        assertThat(command).contains("-Xmx512m").contains("-XX:+ExitOnOutOfMemoryError")
                .contains(home.resolve("cache").resolve("sandbox").toString());
    }

    @Test
    void the_notice_names_every_jar_it_ships() throws IOException {
        String notice = Files.readString(install.resolve("NOTICE"));
        List<Path> jars = new ArrayList<>(Jars.jarsIn(install.resolve("bundles")));
        jars.addAll(Jars.jarsIn(install.resolve("lib")));
        jars.addAll(Jars.jarsIn(install.resolve("lib/sandbox")));
        assertThat(jars).extracting(j -> j.getFileName().toString()).contains("weft-sandbox-worker.jar", "python-language.jar",
                "js-language.jar", "polyglot.jar");
        for (Path jar : jars) {
            String name = jar.getFileName().toString().replaceAll("-\\d[\\w.\\-]*\\.jar$", "").replaceAll("\\.jar$", "");
            if (!name.startsWith("weft-")) {
                assertThat(notice).as("NOTICE names " + name).contains(name);
            }
        }
    }

    @Test
    void it_is_healthy_within_ten_seconds_of_launch() {
        assertThat(millisToHealthy).isLessThan(10_000);
        JsonNode health = http.get("/api/health").json();
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("version").asText()).isEqualTo(System.getProperty("weft.version"));
    }

    @Test
    void the_home_gets_its_folders_and_the_log_file() throws IOException {
        for (String folder : List.of("conf", "deploy", "data", "logs", "cache")) {
            assertThat(home.resolve(folder)).as(folder).isDirectory();
        }
        String log = Files.readString(home.resolve("logs/weft.log"));
        assertThat(log).contains("Weft " + System.getProperty("weft.version") + " started");
        assertThat(Files.readString(work.resolve("server.out"))).contains("Weft " + System.getProperty("weft.version") + " started");
        assertThat(install.resolve("data")).as("nothing written to the install folder").doesNotExist();
    }

    @Test
    void plugins_lists_one_entry_per_jar_in_bundles_every_non_fragment_active() throws IOException {
        JsonNode bundles = http.get("/console/api/plugins").json().path("bundles");
        List<Path> jars = Jars.jarsIn(install.resolve("bundles"));

        List<String> platform = new ArrayList<>();
        for (JsonNode bundle : bundles) {
            if (bundle.path("source").asText().equals("platform")) {
                platform.add(bundle.path("location").asText());
                if (!bundle.path("fragment").asBoolean()) {
                    assertThat(bundle.path("state").asText()).as(bundle.toString()).isEqualTo("ACTIVE");
                }
            }
        }
        assertThat(platform).containsExactlyInAnyOrderElementsOf(
                jars.stream().map(jar -> "bundles/" + jar.getFileName()).toList());
    }

    @Test
    void the_example_is_installed_updated_and_removed_through_deploy_in_one_process() throws Exception {
        long pid = server.pid();
        Path deploy = home.resolve("deploy");

        Jars.drop(install.resolve("examples/plugins/text-case.jar"), deploy, "text-case.jar");
        awaitExample("1.0.0");
        Jars.drop(install.resolve("examples/plugins/v2/text-case.jar"), deploy, "text-case.jar");
        awaitExample("1.1.0");
        Files.delete(deploy.resolve("text-case.jar"));
        Await.until("example removed", Duration.ofSeconds(5),
                () -> !http.get("/console/api/node-types").body().contains("example.text-case"));

        assertThat(server.isAlive()).isTrue();
        assertThat(server.pid()).isEqualTo(pid);
    }

    @Test
    void errors_are_problem_json_without_stack_frames() {
        Http.Answer malformed = http.post("/console/api/workspaces/info", "application/json", "{\"name\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
        PlatformIT.assertNoStackFrames(malformed.body());

        Http.Answer unknown = http.get("/console/api/no-such-thing");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        PlatformIT.assertNoStackFrames(unknown.body());
    }

    @Test
    void conf_cfg_files_configure_the_running_server() throws Exception {
        String tooLong = "{\"name\": \"" + " ".repeat(200) + "\"}";
        assertThat(http.post("/console/api/workspaces/info", "application/json", tooLong).status()).isEqualTo(422);

        Path cfg = home.resolve("conf/dev.weft.web.cfg");
        Files.writeString(cfg, "max.body.bytes=64\n");
        try {
            Await.until("the body limit applied", Duration.ofSeconds(10),
                    () -> http.post("/console/api/workspaces/info", "application/json", tooLong).status() == 413);
        } finally {
            Files.delete(cfg);
        }
        Await.until("the default limit back", Duration.ofSeconds(10),
                () -> http.post("/console/api/workspaces/info", "application/json", tooLong).status() == 422);
    }

    @Test
    void app_deploy_imports_publishes_and_updates_an_app_of_the_running_server() throws Exception {
        Path file = Files.createDirectories(work.resolve("deploy-dsl")).resolve("greeter.yml");
        Files.writeString(file, """
                version: 0.6.0
                kind: app
                app: {name: Greeter, mode: workflow}
                workflow:
                  graph:
                    nodes:
                    - {id: s, data: {type: start, title: Start, variables: [{variable: name, label: Name, type: text-input, required: true}]}}
                    - {id: t, data: {type: template-transform, title: Greet, template: 'Hello, {{ name }}!', variables: [{variable: name, value_selector: [s, name]}]}}
                    - {id: e, data: {type: end, title: End, outputs: [{variable: greeting, value_selector: [t, output]}]}}
                    edges:
                    - {id: s-t, source: s, target: t}
                    - {id: t-e, source: t, target: e}
                """);
        assertThat(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))
                .as("the operator token is readable by its owner only")
                .isEqualTo(Files.getPosixFilePermissions(home.resolve("conf/operator.token")));

        String first = deploy(file);
        assertThat(first).matches("app_id=[0-9a-f-]{36} api_key=app-[A-Za-z0-9]{24}");
        String appId = first.substring("app_id=".length(), first.indexOf(' '));
        String key = first.substring(first.indexOf("api_key=") + "api_key=".length());
        Http.Answer run = Http.anonymous(http.port()).send("POST", "/v1/workflows/run",
                "{\"inputs\": {\"name\": \"CI\"}, \"user\": \"ci\", \"response_mode\": \"blocking\"}",
                "Authorization", "Bearer " + key, "Content-Type", "application/json");
        assertThat(run.json().path("data").path("outputs").path("greeting").asText()).isEqualTo("Hello, CI!");

        // deploying again updates the same app (found by its name) and keeps its key
        Files.writeString(file, Files.readString(file).replace("Hello, ", "Hi, "));
        assertThat(deploy(file)).isEqualTo("app_id=" + appId + " api_key=");
        Http.Answer updated = Http.anonymous(http.port()).send("POST", "/v1/workflows/run",
                "{\"inputs\": {\"name\": \"CI\"}, \"user\": \"ci\"}",
                "Authorization", "Bearer " + key, "Content-Type", "application/json");
        assertThat(updated.json().path("data").path("outputs").path("greeting").asText()).isEqualTo("Hi, CI!");
        assertThat(http.get("/console/api/apps/" + appId + "/versions").json().path("data")).hasSize(2);

        String renewed = deploy(file, "--app-id", appId, "--new-key");
        assertThat(renewed).startsWith("app_id=" + appId + " api_key=app-").doesNotContain(key);

        // a broken file changes nothing and says why
        Path broken = work.resolve("deploy-dsl").resolve("broken.yml");
        Files.writeString(broken, "app: {name: Broken, mode: workflow}\nworkflow: {graph: {nodes: []}}\n");
        Process refused = weft(Map.of("WEFT_HOME", home.toString()))
                .command(install.resolve("bin/weft").toString(), "app", "deploy", broken.toString()).start();
        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).isEqualTo(1);
        assertThat(lastLine(refused)).startsWith("error: the server refused the deployment (422)");
    }

    private static String deploy(Path file, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(install.resolve("bin/weft").toString(), "app", "deploy",
                file.toString()));
        command.addAll(List.of(options));
        Process deploy = weft(Map.of("WEFT_HOME", home.toString())).command(command).redirectErrorStream(false).start();
        assertThat(deploy.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String last = lastLine(deploy);
        assertThat(deploy.exitValue()).as(last).isZero();
        return last;
    }

    @Test
    void a_second_server_on_the_same_home_is_refused() throws Exception {
        Process second = weft(Map.of("WEFT_HOME", home.toString(), "WEFT_HTTP_PORT",
                String.valueOf(WeftOptions.freePort()))).redirectErrorStream(true).start();

        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isEqualTo(2);
        assertThat(lastLine(second)).contains("another Weft server is running on this home");
    }

    @Test
    void commands_print_a_summary_line_and_exit_0_or_2_on_a_usage_error() throws Exception {
        Process version = weft(Map.of()).command(install.resolve("bin/weft").toString(), "version").start();
        assertThat(version.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(version.exitValue()).isZero();
        assertThat(lastLine(version)).isEqualTo("weft " + System.getProperty("weft.version"));

        Process unknown = weft(Map.of()).command(install.resolve("bin/weft").toString(), "frobnicate").start();
        assertThat(unknown.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(unknown.exitValue()).isEqualTo(2);
        assertThat(lastLine(unknown)).contains("unknown command 'frobnicate'");
    }

    @Test
    void dsl_check_reports_each_file_and_ends_with_the_summary_line() throws Exception {
        Path files = Files.createDirectories(work.resolve("dsl"));
        Files.writeString(files.resolve("good.yml"), """
                version: 0.6.0
                kind: app
                app: {name: Good, mode: workflow}
                workflow:
                  graph:
                    nodes:
                    - {id: s, data: {type: start, title: Start, variables: []}}
                    - {id: m, data: {type: knowledge-retrieval, title: Search, query_variable_selector: [sys, query], dataset_ids: [d1]}}
                    - {id: e, data: {type: end, title: End, outputs: []}}
                    edges:
                    - {id: s-m, source: s, target: m}
                    - {id: m-e, source: m, target: e}
                """);
        Files.writeString(files.resolve("broken.yml"), """
                app: {name: Broken, mode: workflow}
                workflow:
                  graph:
                    nodes:
                    - {id: s, data: {type: start, title: Start}}
                    edges:
                    - {id: s-x, source: s, target: x}
                """);

        Process check = weft(Map.of()).command(install.resolve("bin/weft").toString(), "dsl", "check", files.toString())
                .start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).isZero();
        List<String> lines = output.lines().toList();
        assertThat(lines.get(lines.size() - 1)).isEqualTo("files=2 imported=1 warnings=1 failed=1");
        assertThat(output).contains("broken.yml: failed").contains("error dangling_edge")
                .contains("good.yml: imported with 1 warning(s)").contains("warning dataset_missing")
                .doesNotContain("node type 'knowledge-retrieval'");

        Process usage = weft(Map.of()).command(install.resolve("bin/weft").toString(), "dsl", "check").start();
        assertThat(usage.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(usage.exitValue()).isEqualTo(2);
        assertThat(lastLine(usage)).startsWith("error: no file or folder given");
    }

    @Test
    void java_is_found_on_the_path_when_java_home_is_unset() throws Exception {
        Path bin = Files.createDirectories(work.resolve("path-bin"));
        Path java = bin.resolve("java");
        if (!Files.exists(java)) {
            Files.createSymbolicLink(java, Path.of(System.getProperty("java.home"), "bin", "java"));
        }
        ProcessBuilder builder = new ProcessBuilder(install.resolve("bin/weft").toString(), "version");
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("PATH", bin + ":/usr/bin:/bin");
        Process process = builder.start();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
    }

    @Test
    void a_java_older_than_21_is_refused_with_a_clear_message() throws Exception {
        Path oldJava = Files.createDirectories(work.resolve("jdk-17/bin"));
        Files.writeString(oldJava.getParent().resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
        Path java = oldJava.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"17.0.15\" 2025-04-15' >&2\nexit 0\n");
        Files.setPosixFilePermissions(java, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));

        ProcessBuilder builder = new ProcessBuilder(install.resolve("bin/weft").toString()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", oldJava.getParent().toString());
        Process process = builder.start();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("Weft needs Java 21 or newer").contains("Java 17");
    }

    private static void awaitExample(String bundleVersion) {
        Await.until("example " + bundleVersion, Duration.ofSeconds(5), () -> {
            for (JsonNode type : http.get("/console/api/node-types").json().path("node_types")) {
                if (type.path("type").asText().equals("example.text-case")
                        && type.path("bundle_version").asText().equals(bundleVersion)) {
                    return true;
                }
            }
            return null;
        });
    }

    private static ProcessBuilder weft(Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(install.resolve("bin/weft").toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        return builder;
    }

    private static String lastLine(Process process) throws IOException {
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

}
