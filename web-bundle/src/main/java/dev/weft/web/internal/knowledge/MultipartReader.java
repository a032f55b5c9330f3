package dev.weft.web.internal.knowledge;

import dev.weft.api.core.WeftException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A small streaming reader of {@code multipart/form-data} (RFC 7578): parts one after the other,
 * each body an {@link InputStream} that ends at the next boundary, so that a file part goes on to
 * where it is kept without being held in memory. Bounded: the whole body may not pass
 * {@code maxBytes} ({@code file_too_large}), a part's headers 16 KiB, and a malformed body is
 * {@code invalid_param}. Not thread-safe; one reader per request.
 */
public final class MultipartReader {

    /** What a part's headers may take at most. */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final long maxBytes;
    private final byte[] delimiter;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int end;
    /** No delimiter starts before this index of the buffer (from {@code pos}). */
    private int scanned;
    private boolean eof;
    private long read;
    private boolean finished;
    private PartStream current;

    /** One part: its form field name, its file name when it is a file, its content type, its body. */
    public record Part(String name, String fileName, String contentType, InputStream body) {

        public boolean isFile() {
            return fileName != null;
        }
    }

    /**
     * @param in the request body
     * @param boundary the boundary parameter of the request's content type (1 to 70 characters)
     * @param maxBytes the largest body read; beyond it reading fails with {@code file_too_large}
     */
    public MultipartReader(InputStream in, String boundary, long maxBytes) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw invalid("a multipart/form-data body needs a boundary of 1 to 70 characters");
        }
        this.in = in;
        this.maxBytes = maxBytes;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // the first boundary has no line break before it: pretend one was there
        buf[0] = '\r';
        buf[1] = '\n';
        end = 2;
    }

    /** The next part, or null after the last one. The body of the part before is skipped if it was not read. */
    public Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (current == null) {
            // the preamble, if any, before the first boundary
            current = new PartStream();
        }
        current.skipRest();
        // after a delimiter: "--" ends the body, else optional white space and CRLF start a part
        if (!fill(2)) {
            throw invalid("the multipart body ends without its closing boundary");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            current = null;
            return null;
        }
        String headersEnd = readLine(); // what is left on the boundary line: only white space is allowed
        if (!headersEnd.isBlank()) {
            throw invalid("the multipart body has text after a boundary");
        }
        Map<String, String> headers = readHeaders();
        Map<String, String> disposition = parameters(headers.getOrDefault("content-disposition", ""));
        if (!disposition.getOrDefault("", "").equalsIgnoreCase("form-data")) {
            throw invalid("each part of a multipart/form-data body needs Content-Disposition: form-data");
        }
        String fileName = disposition.containsKey("filename*") ? extended(disposition.get("filename*"))
                : disposition.get("filename");
        current = new PartStream();
        return new Part(disposition.getOrDefault("name", ""), fileName, headers.get("content-type"), current);
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        String name = null;
        while (true) {
            String line = readLine();
            total += line.length() + 2;
            if (total > MAX_HEADER_BYTES) {
                throw invalid("the headers of a multipart part are too large");
            }
            if (line.isEmpty()) {
                return headers;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                headers.merge(name, " " + line.strip(), String::concat); // folded header
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw invalid("a multipart part has a malformed header");
            }
            name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.put(name, line.substring(colon + 1).strip());
        }
    }

    /** A header line, without its CRLF, read as UTF-8 (browsers send file names so). */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (!fill(1)) {
                throw invalid("the multipart body ends inside the headers of a part");
            }
            byte b = buf[pos++];
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            line.write(b);
            if (line.size() > MAX_HEADER_BYTES) {
                throw invalid("the headers of a multipart part are too large");
            }
        }
    }

    /**
     * The value and parameters of a header such as {@code form-data; name="file"; filename="a.pdf"}:
     * the value under the key "", parameter names in lower case, quoted strings unquoted.
     */
    static Map<String, String> parameters(String header) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = header.length();
        int semicolon = header.indexOf(';');
        out.put("", (semicolon < 0 ? header : header.substring(0, semicolon)).strip());
        if (semicolon < 0) {
            return out;
        }
        i = semicolon + 1;
        while (i < n) {
            while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == '\t' || header.charAt(i) == ';')) {
                i++;
            }
            int eq = header.indexOf('=', i);
            int next = header.indexOf(';', i);
            if (eq < 0 || (next >= 0 && next < eq)) {
                if (i < n) {
                    out.putIfAbsent(header.substring(i, next < 0 ? n : next).strip().toLowerCase(Locale.ROOT), "");
                }
                i = next < 0 ? n : next + 1;
                continue;
            }
            String key = header.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            while (i < n && header.charAt(i) == ' ') {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && header.charAt(i) == '"') {
                i++;
                while (i < n && header.charAt(i) != '"') {
                    char c = header.charAt(i);
                    // browsers do not escape backslashes in file names (C:\dir\a.txt); only \" and \\ are escapes
                    if (c == '\\' && i + 1 < n && (header.charAt(i + 1) == '"' || header.charAt(i + 1) == '\\')) {
                        c = header.charAt(++i);
                    }
                    value.append(c);
                    i++;
                }
                i++; // the closing quote
                int after = header.indexOf(';', Math.min(i, n));
                i = after < 0 ? n : after + 1;
            } else {
                int stop = next < 0 ? n : next;
                value.append(header, i, stop);
                i = stop + 1;
            }
            out.putIfAbsent(key, value.toString().strip());
        }
        return out;
    }

    /** An RFC 5987 value: {@code UTF-8''na%C3%AFve.txt}. */
    private static String extended(String value) {
        int quote = value.indexOf("''");
        String encoded = quote < 0 ? value : value.substring(quote + 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length()) {
                int high = Character.digit(encoded.charAt(i + 1), 16);
                int low = Character.digit(encoded.charAt(i + 2), 16);
                if (high >= 0 && low >= 0) {
                    bytes.write(high * 16 + low);
                    i += 2;
                    continue;
                }
            }
            bytes.write(c & 0xff);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Makes at least {@code n} bytes available from {@code pos}; false when the body ends first. */
    private boolean fill(int n) throws IOException {
        if (end - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            end -= pos;
            scanned = Math.max(0, scanned - pos);
            pos = 0;
        }
        while (end < n && !eof) {
            int got = in.read(buf, end, buf.length - end);
            if (got < 0) {
                eof = true;
                break;
            }
            read += got;
            if (read > maxBytes) {
                throw new WeftException("file_too_large", "the upload is larger than " + (maxBytes / (1024 * 1024))
                        + " MB");
            }
            end += got;
        }
        return end - pos >= n;
    }

    /** Where the delimiter starts in the buffer from {@code pos}, or -1; what was searched is not searched again. */
    private int indexOfDelimiter() {
        int last = end - delimiter.length;
        outer:
        for (int i = Math.max(pos, scanned); i <= last; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            scanned = i;
            return i;
        }
        scanned = Math.max(pos, last + 1);
        return -1;
    }

    private static WeftException invalid(String message) {
        return new WeftException("invalid_param", message);
    }

    /** A part's body: the bytes up to the next delimiter, which it consumes at its end. */
    private final class PartStream extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (done || current != this) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            fill(delimiter.length);
            int at = indexOfDelimiter();
            if (at == pos) {
                pos += delimiter.length;
                done = true;
                return -1;
            }
            // without a delimiter in sight, its first bytes may be at the end of the buffer: keep them
            int safe = at >= 0 ? at - pos : end - pos - (delimiter.length - 1);
            if (safe <= 0) {
                // fill() stopped short of a delimiter's length: the body ended
                throw invalid("the multipart body ends without its closing boundary");
            }
            int n = Math.min(length, safe);
            System.arraycopy(buf, pos, target, offset, n);
            pos += n;
            return n;
        }

        void skipRest() throws IOException {
            byte[] skip = new byte[8192];
            while (read(skip, 0, skip.length) >= 0) {
                // discarded
            }
        }
    }
}
