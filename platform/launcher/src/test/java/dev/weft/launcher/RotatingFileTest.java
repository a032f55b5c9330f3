package dev.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileTest {

    @TempDir
    Path logs;

    @Test
    void should_rotate_between_lines_once_the_file_passes_its_limit() throws Exception {
        Path file = logs.resolve("weft.log");
        try (PrintStream out = new PrintStream(new ConsoleLog.RotatingFile(file, 100), true, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 12; i++) {
                out.println("line " + i + " " + "x".repeat(40));
            }
        }

        assertThat(logs.resolve("weft.log.1")).exists();
        assertThat(Files.readAllLines(file)).allMatch(line -> line.startsWith("line "));
        assertThat(Files.size(file)).isLessThan(200);
        assertThat(Files.list(logs).count()).isLessThanOrEqualTo(6);
        assertThat(Files.readString(file) + Files.readString(logs.resolve("weft.log.1"))).contains("line 11");
    }

    @Test
    void should_rotate_an_oversized_file_at_start() throws Exception {
        Path file = logs.resolve("weft.log");
        Files.writeString(file, "y".repeat(500));

        try (ConsoleLog.RotatingFile out = new ConsoleLog.RotatingFile(file, 100)) {
            out.write("fresh\n".getBytes(StandardCharsets.UTF_8));
        }

        assertThat(Files.readString(file)).isEqualTo("fresh\n");
        assertThat(Files.readString(logs.resolve("weft.log.1"))).hasSize(500);
    }
}
