package dev.weft.provider.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A vendor's server as far as a provider can tell: HTTP/1.1 on loopback that records every request
 * and plays back the replies a test queued, in the vendor's own bytes. Knows nothing of any vendor.
 *
 * <p>Whole replies carry a Content-Length; streamed ones use chunked transfer encoding, one chunk
 * per part, flushed at once (no Nagle delay), so that a part reaches the client before the next
 * is written. A truncated stream closes the connection mid-body, without the final empty chunk.
 */
public final class WireServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as it arrived. Header names are lower case. */
    public record Recorded(String method, String target, Map<String, String> headers, String body) {

        /** The path without the query. */
        public String path() {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }

        /** The query string, or "" when there is none. */
        public String query() {
            int query = target.indexOf('?');
            return query < 0 ? "" : target.substring(query + 1);
        }

        /** A header's value, or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The body as JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("the request body is not JSON: " + body, e);
            }
        }
    }

    /**
     * What to answer one request with.
     *
     * @param status the HTTP status
     * @param contentType the Content-Type
     * @param headers more response headers
     * @param parts the body: one part for a whole reply, several for a stream
     * @param streamed whether the body goes out in chunks, part by part
     * @param delay the pause before each part of a stream
     * @param cutAfter for a stream, the number of parts after which the connection is dropped; -1
     *     for none
     */
    public record Reply(int status, String contentType, Map<String, String> headers, List<String> parts, boolean streamed,
            Duration delay, int cutAfter) {

        public Reply {
            headers = Map.copyOf(headers);
            parts = List.copyOf(parts);
        }

        /** A whole JSON answer. */
        public static Reply json(int status, String body) {
            return new Reply(status, "application/json", Map.of(), List.of(body), false, Duration.ZERO, -1);
        }

        /** A whole answer of any type. */
        public static Reply whole(int status, String contentType, String body) {
            return new Reply(status, contentType, Map.of(), List.of(body), false, Duration.ZERO, -1);
        }

        /** A successful stream, one chunk per part. */
        public static Reply stream(String contentType, List<String> parts) {
            return new Reply(200, contentType, Map.of(), parts, true, Duration.ZERO, -1);
        }

        /** The same reply with one more header. */
        public Reply withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, contentType, more, parts, streamed, delay, cutAfter);
        }

        /** The same stream with a pause before every part. */
        public Reply slowly(Duration pause) {
            return new Reply(status, contentType, headers, parts, streamed, pause, cutAfter);
        }

        /** The same stream, dropped after this many parts. */
        public Reply cutAfter(int count) {
            return new Reply(status, contentType, headers, parts, streamed, delay, count);
        }
    }

    private final ServerSocket socket;
    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<Long> partsWrittenAt = new CopyOnWriteArrayList<>();

    public WireServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("wire-server").start(this::accept);
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** Queues the reply to the next request that has none yet. */
    public WireServer reply(Reply reply) {
        replies.add(reply);
        return this;
    }

    /** Every request so far, in order of arrival. */
    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** The only request so far. */
    public Recorded only() {
        if (requests.size() != 1) {
            throw new AssertionError("expected exactly one request, got " + requests.size() + ": " + requests);
        }
        return requests.get(0);
    }

    /** When each part of the streams so far was written ({@link System#nanoTime()}). */
    public List<Long> partsWrittenAt() {
        return List.copyOf(partsWrittenAt);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread.ofVirtual().name("wire-server-client").start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; InputStream in = new BufferedInputStream(client.getInputStream());
                OutputStream out = new BufferedOutputStream(client.getOutputStream(), 64 * 1024)) {
            client.setTcpNoDelay(true);
            while (true) {
                Recorded request = read(in);
                if (request == null) {
                    return;
                }
                requests.add(request);
                Reply reply = replies.poll();
                if (reply == null) {
                    reply = Reply.json(500, "{\"error\":\"the test queued no reply for " + request.method() + " "
                            + request.target() + "\"}");
                }
                if (!write(out, reply)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away
        }
    }

    /** Writes a reply; false when the connection must be dropped after it. */
    private boolean write(OutputStream out, Reply reply) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(reply.status()).append(' ')
                .append(reason(reply.status())).append("\r\nContent-Type: ").append(reply.contentType()).append("\r\n");
        reply.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (!reply.streamed()) {
            byte[] body = String.join("", reply.parts()).getBytes(StandardCharsets.UTF_8);
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return true;
        }
        head.append("Transfer-Encoding: chunked\r\nCache-Control: no-cache\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        int written = 0;
        for (String part : reply.parts()) {
            if (reply.cutAfter() >= 0 && written >= reply.cutAfter()) {
                return dropLater();
            }
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            partsWrittenAt.add(System.nanoTime());
            written++;
        }
        if (reply.cutAfter() >= 0) {
            return dropLater();
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return true;
    }

    /**
     * A dropped connection, a moment after the last part: the parts written reach the client before
     * the connection breaks, as when a vendor's server dies mid-answer (dropped at once, a client may
     * see the reset before the bytes it had already been sent).
     */
    private static boolean dropLater() {
        try {
            Thread.sleep(150);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static Recorded read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            matched = switch (c) {
                case '\r' -> matched == 0 || matched == 2 ? matched + 1 : 1;
                case '\n' -> matched == 1 || matched == 3 ? matched + 1 : 0;
                default -> 0;
            };
            if (matched == 4) {
                break;
            }
            if (head.size() > 64 * 1024) {
                throw new IOException("request head too large");
            }
        }
        if (head.size() == 0 || matched != 4) {
            return null;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            body = readChunked(in);
        } else {
            body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        }
        return new Recorded(requestLine[0], requestLine.length > 1 ? requestLine[1] : "/", headers,
                new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int length = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (length == 0) {
                while (!line(in).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            case 529 -> "Overloaded";
            default -> "Status";
        };
    }

    /** Splits text into pieces of at most {@code size} characters, as a vendor streams it. */
    public static List<String> pieces(String text, int size) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < text.length(); i += size) {
            pieces.add(text.substring(i, Math.min(text.length(), i + size)));
        }
        return pieces;
    }
}
