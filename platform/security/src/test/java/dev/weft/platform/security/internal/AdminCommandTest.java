package dev.weft.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.platform.security.Role;
import dev.weft.spi.command.Command;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminCommandTest {

    @TempDir
    Path folder;

    private final TestDatabase db = new TestDatabase();
    private final MutableClock clock = new MutableClock();
    private final AccountService accounts = new AccountService(db.dataSource(), clock, new Secrets(),
            new Argon2Passwords(AccountServiceTest.CHEAP, new Secrets()), Duration.ofDays(7));
    private final AdminCommand command = new AdminCommand();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    AdminCommandTest() {
        command.setAccounts(accounts);
    }

    private int run(String... arguments) {
        return command.run(List.of(arguments), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String lastLine() {
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private Path passwordFile(String content) throws IOException {
        Path file = folder.resolve("password");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void should_create_the_owner_with_the_first_line_of_the_password_file() throws IOException {
        Path file = passwordFile("file pass 1\r\nsecond line\n");

        int status = run("create-owner", "--email", "Ops@Example.com", "--password-file", file.toString(),
                "--name", "Ops Team");

        assertThat(status).isEqualTo(Command.OK);
        assertThat(lastLine()).isEqualTo("owner=ops@example.com");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("file pass 1");
        assertThat(accounts.login("ops@example.com", "file pass 1".toCharArray())).get()
                .satisfies(session -> {
                    assertThat(session.session().account().name()).isEqualTo("Ops Team");
                    assertThat(session.session().role()).isEqualTo(Role.OWNER);
                });
    }

    @Test
    void should_name_the_owner_after_the_email_by_default() throws IOException {
        Path file = passwordFile("file pass 1");

        assertThat(run("create-owner", "--email", "ops@example.com", "--password-file", file.toString()))
                .isEqualTo(Command.OK);
        assertThat(accounts.members(db.defaultWorkspace())).singleElement()
                .satisfies(member -> assertThat(member.name()).isEqualTo("ops"));
    }

    @Test
    void should_fail_once_an_owner_exists() throws IOException {
        accounts.createOwner("first@example.com", "First", "first pass 1".toCharArray());
        Path file = passwordFile("file pass 1\n");

        int status = run("create-owner", "--email", "ops@example.com", "--password-file", file.toString());

        assertThat(status).isEqualTo(Command.FAILED);
        assertThat(lastLine()).startsWith("error: Weft is already set up");
    }

    @Test
    void should_reset_a_forgotten_password_and_refuse_an_unknown_email() throws IOException {
        accounts.createOwner("ops@example.com", "Ops", "first pass 1".toCharArray());
        String session = accounts.login("ops@example.com", "first pass 1".toCharArray()).orElseThrow().token();
        Path file = passwordFile("second pass 2\n");

        assertThat(run("reset-password", "--email", "nobody@example.com", "--password-file", file.toString()))
                .isEqualTo(Command.FAILED);
        assertThat(lastLine()).isEqualTo("error: no account has the email nobody@example.com");
        assertThat(run("reset-password", "--email", "ops@example.com", "--password-file", file.toString(), "--name", "x"))
                .isEqualTo(Command.USAGE);
        assertThat(run("reset-password", "--email", "OPS@example.com", "--password-file", file.toString()))
                .isEqualTo(Command.OK);

        assertThat(lastLine()).isEqualTo("reset=ops@example.com");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("second pass 2");
        assertThat(accounts.session(session)).isEmpty();
        assertThat(accounts.login("ops@example.com", "second pass 2".toCharArray())).isPresent();
    }

    @Test
    void should_refuse_a_missing_or_empty_password_file() throws IOException {
        assertThat(run("create-owner", "--email", "ops@example.com", "--password-file",
                folder.resolve("absent").toString())).isEqualTo(Command.USAGE);
        assertThat(lastLine()).contains("does not exist");

        Path empty = passwordFile("");
        assertThat(run("create-owner", "--email", "ops@example.com", "--password-file", empty.toString()))
                .isEqualTo(Command.USAGE);
        assertThat(lastLine()).contains("is empty");

        Path blankLine = passwordFile("\nfile pass 1\n");
        assertThat(run("create-owner", "--email", "ops@example.com", "--password-file", blankLine.toString()))
                .isEqualTo(Command.USAGE);
        assertThat(accounts.isSetUp()).isFalse();
    }

    @Test
    void should_report_a_weak_password_or_bad_email_as_a_usage_error() throws IOException {
        Path file = passwordFile("weak\n");

        assertThat(run("create-owner", "--email", "ops@example.com", "--password-file", file.toString()))
                .isEqualTo(Command.USAGE);
        assertThat(lastLine()).startsWith("error: ").contains("/password").doesNotContain("weak");
        assertThat(accounts.isSetUp()).isFalse();
    }

    @Test
    void should_explain_its_usage() throws IOException {
        Path file = passwordFile("file pass 1\n");

        assertThat(run()).isEqualTo(Command.USAGE);
        assertThat(lastLine()).contains("missing subcommand");
        assertThat(run("delete-everything")).isEqualTo(Command.USAGE);
        assertThat(lastLine()).contains("unknown subcommand 'delete-everything'");
        assertThat(run("create-owner", "--password-file", file.toString())).isEqualTo(Command.USAGE);
        assertThat(lastLine()).contains("--email is required");
        assertThat(run("create-owner", "--email", "ops@example.com")).isEqualTo(Command.USAGE);
        assertThat(lastLine()).contains("--password-file is required");
        assertThat(run("create-owner", "--email")).isEqualTo(Command.USAGE);
        assertThat(lastLine()).contains("--email needs a value");
        assertThat(run("create-owner", "--password", "x")).isEqualTo(Command.USAGE);
        assertThat(lastLine()).contains("unknown argument '--password'");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(AdminCommand.USAGE_TEXT);
        assertThat(accounts.isSetUp()).isFalse();
    }

    @Test
    void should_fail_when_the_store_does_not_come_up() throws IOException {
        AdminCommand alone = new AdminCommand();
        alone.storeWait(Duration.ZERO);
        Path file = passwordFile("file pass 1\n");

        int status = alone.run(List.of("create-owner", "--email", "ops@example.com", "--password-file", file.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(Command.FAILED);
        assertThat(lastLine()).contains("the store did not open");
    }

    @Test
    void should_read_the_first_line_without_its_line_break_or_byte_order_mark() throws IOException {
        assertThat(AdminCommand.firstLine(passwordFile("\uFEFFpässword 1\n"))).containsExactly("pässword 1".toCharArray());
        assertThat(AdminCommand.firstLine(passwordFile(" spaced 1 \n"))).containsExactly(" spaced 1 ".toCharArray());
        assertThat(AdminCommand.firstLine(passwordFile("x".repeat(70_000)))).isEmpty();
    }
}
