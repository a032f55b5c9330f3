package dev.weft.rag.extractors.internal;

import dev.weft.spi.rag.DocumentSource;
import dev.weft.spi.rag.ExtractionException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a document's bytes within the input limit.
 *
 * <p>The declared {@link DocumentSource#size()} is checked first (a cheap early refusal), but the
 * bytes are counted as they are read too: the declared size is only a claim.
 */
final class Input {

    private static final int BUFFER = 64 * 1024;

    private Input() {
    }

    /** All bytes of a small-format document (text, Markdown, HTML, CSV, JSON). */
    static byte[] readAll(DocumentSource source, long maxBytes) throws ExtractionException {
        checkDeclared(source, maxBytes);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(source.size(), 0) + 16, 1 << 20));
        copy(source, out, maxBytes);
        return out.toByteArray();
    }

    /**
     * Copies a document to a private temporary file, for the parsers that want random access (PDF,
     * OOXML). The caller deletes it by closing the returned handle.
     */
    static TempFile spool(DocumentSource source, long maxBytes) throws ExtractionException {
        checkDeclared(source, maxBytes);
        TempFile temp = TempFile.create();
        try (OutputStream out = Files.newOutputStream(temp.path())) {
            copy(source, out, maxBytes);
            return temp;
        } catch (IOException e) {
            temp.close();
            throw Errors.unreadable("Could not store " + Errors.name(source.fileName()) + " for reading.", e);
        } catch (RuntimeException e) {
            temp.close();
            throw e;
        }
    }

    private static void checkDeclared(DocumentSource source, long maxBytes) throws ExtractionException {
        if (source.size() > maxBytes) {
            throw tooLarge(source, maxBytes);
        }
    }

    private static void copy(DocumentSource source, OutputStream out, long maxBytes) throws ExtractionException {
        long total = 0;
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = source.content().open()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge(source, maxBytes);
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw Errors.unreadable("Could not read " + Errors.name(source.fileName()) + ".", e);
        }
    }

    private static ExtractionException tooLarge(DocumentSource source, long maxBytes) {
        return Errors.limit(Errors.name(source.fileName()) + " is larger than the " + Sizes.human(maxBytes)
                + " this extractor accepts.");
    }

    /** A temporary file deleted on close. */
    static final class TempFile implements AutoCloseable {
        private final Path path;

        private TempFile(Path path) {
            this.path = path;
        }

        static TempFile create() throws ExtractionException {
            try {
                // createTempFile gives owner-only permissions on POSIX systems
                return new TempFile(Files.createTempFile("weft-extract-", ".bin"));
            } catch (IOException e) {
                throw Errors.unreadable("No room to store the document for reading.", e);
            }
        }

        Path path() {
            return path;
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                path.toFile().deleteOnExit();
            }
        }
    }
}
