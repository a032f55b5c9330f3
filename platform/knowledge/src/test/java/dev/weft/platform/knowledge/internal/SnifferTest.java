package dev.weft.platform.knowledge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.core.WeftException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnifferTest {

    @TempDir
    Path dir;

    private Path file(String name, byte[] content) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    @Test
    void theContentDecidesNotTheName() throws Exception {
        assertThat(Sniffer.kind(file("a", "%PDF-1.7 ...".getBytes(StandardCharsets.US_ASCII)), "report.pdf")).isEqualTo("pdf");
        assertThat(Sniffer.kind(file("b", "# Title\ntext".getBytes(StandardCharsets.UTF_8)), "notes.md")).isEqualTo("md");
        assertThat(Sniffer.kind(file("c", "<!DOCTYPE html><p>x".getBytes(StandardCharsets.UTF_8)), "page")).isEqualTo("html");
        assertThatThrownBy(() -> Sniffer.kind(file("d", "<html><script>alert(1)</script>".getBytes(StandardCharsets.UTF_8)),
                "report.pdf")).isInstanceOf(WeftException.class).hasMessageContaining("named .pdf");
        assertThatThrownBy(() -> Sniffer.kind(file("e", new byte[] {0, 1, 2, 3, 0}), "x.bin")).isInstanceOf(WeftException.class);
        assertThatThrownBy(() -> Sniffer.kind(file("f", "text".getBytes(StandardCharsets.UTF_8)), "x.exe"))
                .hasMessageContaining(".exe");
    }

    @Test
    void namesAreKeptOnlyAsCleanMetadata() {
        assertThat(Sniffer.cleanName("../../x.jsp")).isEqualTo("x.jsp");
        assertThat(Sniffer.cleanName("..\\..\\evil.txt")).isEqualTo("evil.txt");
        assertThat(Sniffer.cleanName("report\u202Efdp.exe")).isEqualTo("reportfdp.exe");
        assertThat(Sniffer.cleanName("a\u0000b.pdf")).isEqualTo("ab.pdf");
        assertThat(Sniffer.cleanName("x".repeat(300) + ".pdf")).hasSize(255).endsWith(".pdf");
        assertThat(Sniffer.cleanName("")).isEqualTo("untitled");
    }
}
