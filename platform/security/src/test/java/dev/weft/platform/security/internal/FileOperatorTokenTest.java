package dev.weft.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.platform.security.OperatorToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOperatorTokenTest {

    @TempDir
    Path home;

    private Path conf() {
        return home.resolve("conf");
    }

    private Path file() {
        return conf().resolve(OperatorToken.FILE);
    }

    @Test
    void should_create_the_token_file_readable_by_its_owner_only() throws IOException {
        assumeTrue(home.getFileSystem().supportedFileAttributeViews().contains("posix"));

        FileOperatorToken token = new FileOperatorToken(conf(), new Secrets());

        assertThat(file()).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        String secret = Files.readString(file(), StandardCharsets.UTF_8).strip();
        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        assertThat(token.matches(secret)).isTrue();
        assertThat(token.matches(secret + "\n")).as("a line read from the file").isTrue();
        try (Stream<Path> files = Files.list(conf())) {
            assertThat(files).as("no temporary file left behind").containsExactly(file());
        }
    }

    @Test
    void should_keep_the_same_token_across_restarts() throws IOException {
        new FileOperatorToken(conf(), new Secrets());
        String first = Files.readString(file(), StandardCharsets.UTF_8);

        FileOperatorToken restarted = new FileOperatorToken(conf(), new Secrets());

        assertThat(Files.readString(file(), StandardCharsets.UTF_8)).isEqualTo(first);
        assertThat(restarted.matches(first.strip())).isTrue();
    }

    @Test
    void should_never_match_null_blank_or_another_token() {
        FileOperatorToken token = new FileOperatorToken(conf(), new Secrets());

        assertThat(token.matches(null)).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches("   ")).isFalse();
        assertThat(token.matches(new Secrets().token())).isFalse();
        assertThat(token.toString()).doesNotContain(readToken());
    }

    @Test
    void should_replace_an_empty_file_and_tighten_loose_permissions() throws IOException {
        assumeTrue(home.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Files.createDirectories(conf());
        Files.writeString(file(), "\n");

        new FileOperatorToken(conf(), new Secrets());
        assertThat(readToken()).matches("[A-Za-z0-9_-]{43}");

        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-r--r--"));
        FileOperatorToken again = new FileOperatorToken(conf(), new Secrets());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        assertThat(again.matches(readToken())).isTrue();
    }

    @Test
    void should_keep_a_token_in_memory_when_there_is_no_home() {
        FileOperatorToken token = new FileOperatorToken(null, new Secrets());

        assertThat(token.matches("")).isFalse();
        assertThat(home).isEmptyDirectory();
    }

    private String readToken() {
        try {
            return Files.readString(file(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
