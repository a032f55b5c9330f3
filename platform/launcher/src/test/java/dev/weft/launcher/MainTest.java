package dev.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Main main = new Main(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void should_exit_2_with_a_summary_line_on_an_unknown_command() {
        int status = main.run(new String[] {"Frob!"});

        assertThat(status).isEqualTo(Main.USAGE);
        assertThat(lastLine(out)).startsWith("error: unknown command 'Frob!'");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage: weft");
    }

    @Test
    void should_exit_2_on_an_extra_argument() {
        assertThat(main.run(new String[] {"version", "extra"})).isEqualTo(Main.USAGE);
        assertThat(lastLine(out)).contains("unexpected argument 'extra'");
    }

    @Test
    void should_print_the_version_as_the_last_line() {
        assertThat(main.run(new String[] {"version"})).isEqualTo(Main.OK);
        assertThat(lastLine(out)).startsWith("weft ");
    }

    @Test
    void should_print_help_and_exit_0() {
        assertThat(main.run(new String[] {"help"})).isEqualTo(Main.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("WEFT_HTTP_PORT");
    }

    @Test
    void should_exit_2_when_the_port_in_the_environment_is_invalid() {
        Main badPort = new Main(Map.of("WEFT_HTTP_PORT", "eighty", "WEFT_HOME", home.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(badPort.run(new String[0])).isEqualTo(Main.USAGE);
        assertThat(lastLine(out)).contains("WEFT_HTTP_PORT");
    }

    private static String lastLine(ByteArrayOutputStream stream) {
        List<String> lines = stream.toString(StandardCharsets.UTF_8).lines().toList();
        return lines.get(lines.size() - 1);
    }
}
