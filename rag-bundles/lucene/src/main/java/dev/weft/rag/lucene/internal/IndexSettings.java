package dev.weft.rag.lucene.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * What an index was created with, kept beside it in {@value #FILE_NAME} so that reopening uses the
 * same analyzer and vector size: the language and the dimensions.
 *
 * @param language how text is cut into words
 * @param dimensions the vectors' size; 0 for a keyword-only (economy) index
 */
record IndexSettings(TextLanguage language, int dimensions) {

    /** The settings file, in the index's directory. */
    static final String FILE_NAME = "weft-index.json";

    /** The largest vector accepted (Lucene's default limit, 1024, is raised by {@link WeftCodec}). */
    static final int MAX_DIMENSIONS = WeftCodec.MAX_DIMENSIONS;

    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    IndexSettings {
        if (dimensions < 0 || dimensions > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("vectors of " + dimensions + " dimensions are not supported; the most is "
                    + MAX_DIMENSIONS);
        }
    }

    /** Whether the index holds vectors. */
    boolean hasVectors() {
        return dimensions > 0;
    }

    /**
     * The settings an index spec asks for: {@code settings.language} ({@code auto} when absent).
     *
     * @throws IllegalArgumentException when the language is not a string or not a known one
     */
    static IndexSettings requested(int dimensions, Map<String, Object> settings) {
        Object language = settings.get("language");
        if (language != null && !(language instanceof String)) {
            throw new IllegalArgumentException("the index setting 'language' must be a string");
        }
        return new IndexSettings(language == null ? TextLanguage.AUTO : TextLanguage.of((String) language), dimensions);
    }

    /** Reads the settings file of an index directory; null when there is none (a new index). */
    static IndexSettings read(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("the index settings " + file + " are unreadable: " + e.getMessage(), e);
        }
        if (root == null || !root.path("language").isTextual() || !root.path("dimensions").canConvertToInt()) {
            throw new IOException("the index settings " + file + " are damaged: 'language' and 'dimensions' are required");
        }
        if (root.path("format").asInt(FORMAT) > FORMAT) {
            throw new IOException("the index in " + directory + " was written by a newer version of Weft");
        }
        try {
            return new IndexSettings(TextLanguage.of(root.get("language").asText()), root.get("dimensions").asInt());
        } catch (IllegalArgumentException e) {
            throw new IOException("the index settings " + file + " are damaged: " + e.getMessage(), e);
        }
    }

    /** Writes the settings file durably: a temporary file, fsync, then an atomic rename. */
    void write(Path directory) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("language", language.id());
        root.put("dimensions", dimensions);
        root.put("vectorSimilarity", "dot_product of unit-length vectors (cosine)");
        Path temporary = directory.resolve(FILE_NAME + ".tmp");
        Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(temporary, directory.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, directory.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Checks that a spec opening an existing index asks for what it was created with. A spec without
     * a language accepts the stored one.
     *
     * @throws IOException explaining that a change needs re-indexing
     */
    void checkReopenedWith(int requestedDimensions, Map<String, Object> settings, String name) throws IOException {
        if (requestedDimensions != dimensions) {
            throw new IOException("knowledge base " + name + " was indexed with " + describe(dimensions)
                    + ", not " + describe(requestedDimensions) + "; changing the embedding size means re-indexing: "
                    + "drop the index and index the documents again");
        }
        if (settings.get("language") != null) {
            TextLanguage requested = requested(requestedDimensions, settings).language();
            if (requested != language) {
                throw new IOException("knowledge base " + name + " was indexed with language '" + language.id()
                        + "', not '" + requested.id() + "'; changing the language means re-indexing: drop the index "
                        + "and index the documents again");
            }
        }
    }

    private static String describe(int dimensions) {
        return dimensions == 0 ? "no vectors (economy)" : dimensions + "-dimension vectors";
    }
}
