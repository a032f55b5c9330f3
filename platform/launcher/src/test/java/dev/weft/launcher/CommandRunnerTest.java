package dev.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private CommandRunner runner() {
        return new CommandRunner(Map.of("WEFT_HOME", home.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void should_run_admin_on_the_real_home() {
        assertThat(CommandRunner.HOME_COMMANDS).contains("admin").doesNotContain("dsl", "bench");
    }

    @Test
    void should_refuse_admin_while_this_process_holds_the_homes_lock() throws Exception {
        Files.createDirectories(home.resolve("data"));
        try (InstanceLock lock = InstanceLock.acquire(home.resolve("data"))) {
            int status = runner().run("admin", List.of("create-owner", "--email", "ops@example.com"));

            assertThat(status).isEqualTo(Main.FAILED);
            assertThat(lastLine()).isEqualTo(CommandRunner.RUNNING_MESSAGE);
        }
        assertThat(home.resolve("conf")).as("the real home was prepared, not a temporary one").isDirectory();
    }

    @Test
    void should_refuse_admin_while_a_server_runs_on_the_home() throws Exception {
        Path data = Files.createDirectories(home.resolve("data"));
        Process server = lockHolder(data);
        try {
            int status = runner().run("admin", List.of("create-owner", "--email", "ops@example.com"));

            assertThat(status).isEqualTo(1);
            assertThat(lastLine()).isEqualTo("error: Weft is running from this home; stop it first or use the setup page");
            assertThat(home).isDirectory();
        } finally {
            release(server);
        }
    }

    @Test
    void should_keep_refusing_other_commands_on_a_locked_home_as_a_usage_error() throws Exception {
        Path data = Files.createDirectories(home.resolve("data"));
        Process server = lockHolder(data);
        try {
            assertThatThrownBy(() -> runner().run("dsl", List.of("check", "x", "--home", home.toString())))
                    .isInstanceOf(UsageException.class).hasMessageContaining("another Weft server is running");
        } finally {
            release(server);
        }
    }

    /** Starts another JVM that holds the lock, and returns once it does. */
    private static Process lockHolder(Path data) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), data.toString())
                .redirectErrorStream(true)
                .start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = output.readLine();
        if (!"locked".equals(line)) {
            process.destroyForcibly();
            throw new IllegalStateException("the lock holder did not start: " + line);
        }
        return process;
    }

    private static void release(Process process) throws Exception {
        process.getOutputStream().close();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the lock holder failed");
        }
    }

    private String lastLine() {
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
