package dev.weft.web.internal.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.core.WeftException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {

    private static final String BOUNDARY = "XyZ123";

    @Test
    void should_read_parts_whatever_sizes_the_network_delivers() throws IOException {
        // content full of near-boundaries, long enough to cross the reader's buffer several times
        StringBuilder tricky = new StringBuilder();
        Random random = new Random(42);
        while (tricky.length() < 300_000) {
            tricky.append(switch (random.nextInt(5)) {
                case 0 -> "\r\n--XyZ12";
                case 1 -> "\r\n-";
                case 2 -> "--" + BOUNDARY;
                case 3 -> "\r";
                default -> "plain text ";
            });
        }
        byte[] body = body("Content-Disposition: form-data; name=\"data\"\r\n\r\n{\"a\":1}",
                "Content-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                        + tricky);

        for (int chunk : new int[] {1, 7, 73, 8192, 1 << 20}) {
            MultipartReader reader = new MultipartReader(new Trickle(body, chunk), BOUNDARY, Long.MAX_VALUE);
            List<String> contents = new ArrayList<>();
            MultipartReader.Part data = reader.next();
            assertThat(data.name()).isEqualTo("data");
            assertThat(data.isFile()).isFalse();
            contents.add(new String(data.body().readAllBytes(), StandardCharsets.UTF_8));
            MultipartReader.Part file = reader.next();
            assertThat(file.name()).isEqualTo("file");
            assertThat(file.fileName()).isEqualTo("notes.txt");
            assertThat(file.contentType()).isEqualTo("text/plain");
            contents.add(new String(file.body().readAllBytes(), StandardCharsets.UTF_8));
            assertThat(reader.next()).isNull();
            assertThat(contents).as("chunks of %d", chunk).containsExactly("{\"a\":1}", tricky.toString());
        }
    }

    @Test
    void should_skip_a_part_not_read_and_keep_an_empty_one() throws IOException {
        byte[] body = body("Content-Disposition: form-data; name=\"skipped\"\r\n\r\nnobody reads this",
                "Content-Disposition: form-data; name=\"empty\"\r\n\r\n",
                "Content-Disposition: form-data; name=\"last\"\r\n\r\nend");
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), BOUNDARY, 10_000);

        assertThat(reader.next().name()).isEqualTo("skipped");
        MultipartReader.Part empty = reader.next();
        assertThat(empty.name()).isEqualTo("empty");
        assertThat(empty.body().readAllBytes()).isEmpty();
        MultipartReader.Part last = reader.next();
        assertThat(new String(last.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("end");
        assertThat(reader.next()).isNull();
        assertThat(reader.next()).isNull();
    }

    @Test
    void should_read_file_names_as_browsers_and_curl_send_them() {
        assertThat(MultipartReader.parameters("form-data; name=\"file\"; filename=\"C:\\dir\\a \\\"b\\\".txt\""))
                .containsEntry("", "form-data").containsEntry("name", "file").containsEntry("filename", "C:\\dir\\a \"b\".txt");
        assertThat(MultipartReader.parameters("form-data;name=data")).containsEntry("name", "data");
        assertThat(MultipartReader.parameters("form-data; name=\"f\"; filename=\"a;b.txt\"; size=3"))
                .containsEntry("filename", "a;b.txt").containsEntry("size", "3");
    }

    @Test
    void should_decode_an_extended_file_name() throws IOException {
        byte[] body = body("Content-Disposition: form-data; name=\"file\"; filename=\"fallback.txt\"; "
                + "filename*=UTF-8''na%C3%AFve.txt\r\n\r\nx");
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), BOUNDARY, 10_000);

        assertThat(reader.next().fileName()).isEqualTo("na\u00efve.txt");
    }

    @Test
    void should_stop_a_body_above_its_limit() {
        byte[] body = body("Content-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n" + "z".repeat(5000));

        assertThatThrownBy(() -> {
            MultipartReader reader = new MultipartReader(new Trickle(body, 100), BOUNDARY, 1000);
            reader.next().body().readAllBytes();
        }).isInstanceOf(WeftException.class).extracting(e -> ((WeftException) e).code()).isEqualTo("file_too_large");
    }

    @Test
    void should_refuse_malformed_bodies() {
        assertThat(code("no boundary at all")).isEqualTo("invalid_param");
        assertThat(code("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end")).isEqualTo("invalid_param");
        assertThat(code("--" + BOUNDARY + "\r\nX-Nothing: 1\r\n\r\nx\r\n--" + BOUNDARY + "--")).isEqualTo("invalid_param");
        assertThat(code("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a\"\r\n" + "X-Pad: "
                + "p".repeat(MultipartReader.MAX_HEADER_BYTES) + "\r\n\r\nx\r\n--" + BOUNDARY + "--")).isEqualTo("invalid_param");
        assertThatThrownBy(() -> new MultipartReader(InputStream.nullInputStream(), "b".repeat(71), 10))
                .isInstanceOf(WeftException.class);
    }

    private static String code(String body) {
        try {
            MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                    BOUNDARY, 1_000_000);
            for (MultipartReader.Part part = reader.next(); part != null; part = reader.next()) {
                part.body().readAllBytes();
            }
            return "none";
        } catch (WeftException e) {
            return e.code();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] body(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : parts) {
            out.writeBytes(("--" + BOUNDARY + "\r\n" + part + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\nepilogue").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A stream that gives at most {@code chunk} bytes a read, as a slow network does. */
    private static final class Trickle extends InputStream {
        private final ByteArrayInputStream in;
        private final int chunk;

        Trickle(byte[] bytes, int chunk) {
            this.in = new ByteArrayInputStream(bytes);
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, chunk));
        }
    }
}
