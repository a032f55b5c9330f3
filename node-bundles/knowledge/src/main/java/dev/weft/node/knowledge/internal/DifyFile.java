package dev.weft.node.knowledge.internal;

import dev.weft.spi.node.NodeException;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of a Dify file value that the document extractor needs, read from the map form Dify
 * and Weft give files in the variable pool: {@code {"dify_model_identity": "__dify__file__",
 * "transfer_method": "remote_url", "remote_url": ..., "filename": "a.pdf", "extension": ".pdf",
 * "mime_type": "application/pdf", ...}}.
 *
 * @param name the file's name as the user gave it; never null ({@code (unnamed)} when it has none)
 * @param extension the extension, lower case and without the dot; empty when neither the
 *     {@code extension} field nor the name gives one
 * @param mimeType the declared media type without parameters, lower case; empty when not declared
 * @param transferMethod {@code remote_url}, {@code local_file}, {@code tool_file}... ; empty when not given
 * @param url where a remote file lives ({@code remote_url}, else {@code url}); null when neither is set
 * @param storedId the id of an uploaded file ({@code related_id}, else {@code upload_file_id}); null
 *     when neither is set
 */
record DifyFile(String name, String extension, String mimeType, String transferMethod, String url, String storedId) {

    DifyFile(String name, String extension, String mimeType, String transferMethod, String url) {
        this(name, extension, mimeType, transferMethod, url, null);
    }

    static final String IDENTITY = "__dify__file__";
    static final String UNNAMED = "(unnamed)";

    /** Whether the file's bytes must come from Weft's own storage rather than from a URL. */
    boolean isStored() {
        return switch (transferMethod) {
            case "local_file", "tool_file", "datasource_file" -> true;
            default -> false;
        };
    }

    /**
     * Reads a file value.
     *
     * @param where how to name the value in a message ({@code the variable start.file},
     *     {@code item 2 of start.files})
     * @throws NodeException {@code invalid_file} when the value is not a Dify file
     */
    static DifyFile of(Object value, String where) throws NodeException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new NodeException("invalid_file", where + " is not a file but " + describe(value)
                    + "; the document extractor reads file variables");
        }
        Object identity = map.get("dify_model_identity");
        boolean marked = IDENTITY.equals(identity);
        if (!marked && (identity != null || !(map.get("transfer_method") instanceof String))) {
            throw new NodeException("invalid_file", where + " is an object, not a file; the document extractor"
                    + " reads file variables");
        }
        String name = text(map.get("filename"));
        String extension = normaliseExtension(text(map.get("extension")));
        if (extension.isEmpty()) {
            extension = extensionOf(name);
        }
        String mime = text(map.get("mime_type"));
        int semicolon = mime.indexOf(';');
        mime = (semicolon >= 0 ? mime.substring(0, semicolon) : mime).trim().toLowerCase(Locale.ROOT);
        String remote = text(map.get("remote_url"));
        String url = !remote.isBlank() ? remote : text(map.get("url"));
        String related = text(map.get("related_id"));
        String stored = !related.isBlank() ? related : text(map.get("upload_file_id"));
        return new DifyFile(name.isBlank() ? UNNAMED : name, extension, mime,
                text(map.get("transfer_method")).trim().toLowerCase(Locale.ROOT), url.isBlank() ? null : url,
                stored.isBlank() ? null : stored.strip());
    }

    /** {@code .PDF} → {@code pdf}; text that cannot be an extension (spaces, slashes) → empty. */
    static String normaliseExtension(String raw) {
        String ext = raw.trim().toLowerCase(Locale.ROOT);
        while (ext.startsWith(".")) {
            ext = ext.substring(1);
        }
        return ext.matches("[a-z0-9+_-]{1,16}") ? ext : "";
    }

    /** The extension of a file name: the text after its last dot, when it is a plausible one. */
    static String extensionOf(String name) {
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        String base = name.substring(slash + 1);
        int dot = base.lastIndexOf('.');
        return dot <= 0 || dot == base.length() - 1 ? "" : normaliseExtension(base.substring(dot + 1));
    }

    private static String text(Object value) {
        return value instanceof String s ? s : "";
    }

    private static String describe(Object value) {
        if (value instanceof String) {
            return "text";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof java.util.List<?>) {
            return "a list";
        }
        return "a value of another kind";
    }
}
