package dev.weft.rag.extractors.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weft.spi.rag.DocumentExtractor;
import dev.weft.spi.rag.DocumentSource;
import dev.weft.spi.rag.ExtractionException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Builds test documents in memory: sources, ZIP rewrites, canary files. */
final class Docs {

    private Docs() {
    }

    static DocumentSource source(String name, String mediaType, byte[] bytes) {
        return new DocumentSource(name, mediaType, bytes.length, () -> new ByteArrayInputStream(bytes));
    }

    static DocumentSource source(String name, String text) {
        return source(name, "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }

    static ExtractionException failure(DocumentExtractor extractor, DocumentSource source) {
        ExtractionException e = catchThrowableOfType(ExtractionException.class, () -> extractor.extract(source));
        assertThat(e).as("extraction of %s should fail", source.fileName()).isNotNull();
        return e;
    }

    /** A file whose unique content must never show up in extracted text or messages. */
    static Path canary(Path dir) throws IOException {
        Path file = dir.resolve("canary.txt");
        Files.writeString(file, "CANARY-" + UUID.randomUUID());
        return file;
    }

    /** The entries of a ZIP, in order. */
    static Map<String, byte[]> entries(byte[] zip) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** A ZIP of these entries, deflated. */
    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.setLevel(Deflater.BEST_COMPRESSION);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The ZIP with one entry's content replaced (or added). */
    static byte[] replace(byte[] zip, String name, byte[] content) {
        Map<String, byte[]> entries = entries(zip);
        entries.put(name, content);
        return zip(entries);
    }

    /** A ZIP entry of {@code size} bytes of one repeated character, streamed so that it is never held in memory. */
    static byte[] zipWithHugeEntry(byte[] base, String name, String prefix, long size, String suffix) {
        Map<String, byte[]> entries = entries(base);
        entries.remove(name);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(name));
            out.write(prefix.getBytes(StandardCharsets.UTF_8));
            byte[] block = new byte[1 << 20];
            java.util.Arrays.fill(block, (byte) ' ');
            for (long written = 0; written < size; written += block.length) {
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
            out.write(suffix.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A ZIP whose central directory lists {@code copies} entries that all point at the same local
     * entry (the "overlapping files" zip bomb): one compressed kernel read many times over.
     */
    static byte[] overlappingZip(String firstName, byte[] content, int copies) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(content);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        byte[] data = compressed.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(content);
        byte[] name = firstName.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(30 + name.length + data.length + copies * (46 + name.length + 8) + 22)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 8)
                .putShort((short) 0).putShort((short) 0).putInt((int) crc.getValue()).putInt(data.length)
                .putInt(content.length).putShort((short) name.length).putShort((short) 0).put(name).put(data);
        int centralStart = out.position();
        for (int i = 0; i < copies; i++) {
            byte[] entryName = (i == 0 ? firstName : "word/copy" + i + ".xml").getBytes(StandardCharsets.UTF_8);
            out.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) 8)
                    .putShort((short) 0).putShort((short) 0).putInt((int) crc.getValue()).putInt(data.length)
                    .putInt(content.length).putShort((short) entryName.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).put(entryName);
        }
        int centralSize = out.position() - centralStart;
        out.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) copies)
                .putShort((short) copies).putInt(centralSize).putInt(centralStart).putShort((short) 0);
        byte[] result = new byte[out.position()];
        out.flip().get(result);
        return result;
    }
}
