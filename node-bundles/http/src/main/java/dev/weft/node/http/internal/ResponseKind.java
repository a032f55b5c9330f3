package dev.weft.node.http.internal;

import dev.weft.api.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a response is text (it goes to {@code body}) or a file (it goes to {@code files}), decided
 * as Dify decides: an attachment disposition means a file; otherwise the media type; without one,
 * whether the bytes read as UTF-8.
 */
record ResponseKind(boolean isFile, String mimeType, String filename) {

    private static final Pattern FILENAME = Pattern.compile("filename\\*?=(?:UTF-8'')?\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);

    static ResponseKind of(HttpResponse response) {
        String type = response.header("Content-Type").orElse("").split(";")[0].strip().toLowerCase(Locale.ROOT);
        String disposition = response.header("Content-Disposition").orElse("");
        String filename = null;
        Matcher m = FILENAME.matcher(disposition);
        if (m.find()) {
            filename = m.group(1).strip();
        }
        if (disposition.toLowerCase(Locale.ROOT).contains("attachment") || filename != null) {
            return new ResponseKind(true, type.isEmpty() ? "application/octet-stream" : type, filename);
        }
        if (type.isEmpty()) {
            return new ResponseKind(!isUtf8(response.body()), "application/octet-stream", null);
        }
        return new ResponseKind(!isText(type), type, null);
    }

    static boolean isText(String type) {
        return type.startsWith("text/") || type.contains("json") || type.contains("xml") || type.contains("javascript")
                || type.contains("yaml") || type.contains("x-www-form-urlencoded") || type.contains("csv")
                || type.equals("application/x-ndjson") || type.equals("application/graphql")
                || type.contains("ecmascript") || type.endsWith("+text");
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * Dify's file form of the response: a remote file at the URL that answered, with its name, type
     * and size, so that later nodes can fetch it again through the egress guard.
     */
    Map<String, Object> fileDescriptor(HttpResponse response, boolean urlHoldsSecrets) {
        // a URL built from environment variables may carry a key in its query: the descriptor keeps none
        String url = urlHoldsSecrets ? response.url().replaceAll("[?#].*$", "") : response.url();
        String name = filename;
        if (name == null || name.isBlank()) {
            String path = url.replaceAll("[?#].*$", "");
            name = path.substring(path.lastIndexOf('/') + 1);
            if (name.isBlank()) {
                name = "download";
            }
        }
        String extension = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("dify_model_identity", "__dify__file__");
        file.put("type", fileType(mimeType));
        file.put("transfer_method", "remote_url");
        file.put("remote_url", url);
        file.put("url", url);
        file.put("filename", name);
        file.put("extension", extension);
        file.put("mime_type", mimeType);
        file.put("size", response.bodySize());
        return file;
    }

    private static String fileType(String mime) {
        if (mime.startsWith("image/")) {
            return "image";
        }
        if (mime.startsWith("audio/")) {
            return "audio";
        }
        if (mime.startsWith("video/")) {
            return "video";
        }
        if (mime.equals("application/pdf") || mime.contains("document") || mime.contains("msword")
                || mime.contains("sheet") || mime.contains("presentation")) {
            return "document";
        }
        return "custom";
    }
}
