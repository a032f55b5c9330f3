package dev.weft.platform.egress.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.api.http.EgressException;
import dev.weft.api.http.HttpRequest;
import dev.weft.api.http.HttpResponse;
import dev.weft.api.http.StreamingResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against real HTTP servers on loopback. The guard allows only the test servers' own
 * ports; a canary socket that nothing may reach counts every connection it accepts.
 */
class EgressClientTest {

    private HttpServer server;
    private HttpServer other;
    private Canary canary;
    private EgressClient client;
    private final List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger lookups = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = serve();
        other = serve();
        canary = new Canary();
        String allow = "127.0.0.1:" + port(server) + ",127.0.0.1:" + port(other);
        NameResolver resolver = host -> {
            lookups.incrementAndGet();
            if (host.equals("api.example") || host.equals("other.example")) {
                return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
            }
            if (host.equals("canary.example")) {
                return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
            }
            throw new UnknownHostException(host);
        };
        client = new EgressClient(new Guard(AllowList.parse(allow + ",api.example:" + port(server)
                + ",other.example:" + port(other)), Set.of(80, 443), resolver));
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.stop(0);
        other.stop(0);
        canary.close();
        assertThat(canary.connections).as("connections the canary accepted").hasValue(0);
    }

    private HttpServer serve() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", this::handle);
        s.start();
        return s;
    }

    private static int port(HttpServer s) {
        return s.getAddress().getPort();
    }

    private String base() {
        return "http://127.0.0.1:" + port(server);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> request = new ConcurrentHashMap<>();
        request.put("method", exchange.getRequestMethod());
        request.put("uri", exchange.getRequestURI().toString());
        request.put("port", String.valueOf(exchange.getLocalAddress().getPort()));
        exchange.getRequestHeaders().forEach((name, values) -> request.put("h:" + name.toLowerCase(), values.get(0)));
        request.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        seen.add(request);
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery();
        switch (path) {
            case "/redirect" -> redirect(exchange, 302, query.substring("to=".length()));
            case "/redirect307" -> redirect(exchange, 307, query.substring("to=".length()));
            case "/chain" -> {
                int n = Integer.parseInt(query);
                redirect(exchange, 302, "/chain?" + (n + 1));
            }
            case "/big" -> {
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    byte[] chunk = new byte[64 * 1024];
                    for (int i = 0; i < 64; i++) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // the client hung up at its limit
                }
            }
            case "/events" -> {
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 1; i <= 3; i++) {
                        out.write(("data: " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
            }
            default -> {
                byte[] body = ("hello from " + path).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
                exchange.getResponseHeaders().add("X-Echo-Method", exchange.getRequestMethod());
                exchange.sendResponseHeaders(201, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            }
        }
    }

    private static void redirect(HttpExchange exchange, int status, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private HttpResponse get(String url) {
        return client.send(HttpRequest.newBuilder("GET", url).build());
    }

    @Test
    void sendsToAnAllowedServerAndReadsTheResponse() {
        HttpResponse response = client.send(HttpRequest.newBuilder("post", base() + "/items?x=1")
                .header("Content-Type", "application/json").header("X-Custom", "yes")
                .body("{\"a\":1}".getBytes(StandardCharsets.UTF_8)).build());
        assertThat(response.status()).isEqualTo(201);
        assertThat(response.bodyText()).isEqualTo("hello from /items");
        assertThat(response.header("x-echo-method")).contains("POST");
        assertThat(response.url()).isEqualTo(base() + "/items?x=1");
        Map<String, String> request = seen.get(0);
        assertThat(request).containsEntry("method", "POST").containsEntry("uri", "/items?x=1")
                .containsEntry("body", "{\"a\":1}").containsEntry("h:content-type", "application/json")
                .containsEntry("h:x-custom", "yes").containsEntry("h:user-agent", "Weft");
    }

    @Test
    void connectsToTheAddressTheGuardCheckedAndNeverResolvesAgain() {
        HttpResponse response = get("http://api.example:" + port(server) + "/pinned");
        assertThat(response.status()).isEqualTo(201);
        assertThat(lookups).hasValue(1);
        assertThat(seen.get(0)).containsEntry("h:host", "api.example:" + port(server));
    }

    @Test
    void refusesLoopbackServersTheOperatorDidNotAllowWithoutConnecting() {
        assertThatThrownBy(() -> get("http://127.0.0.1:" + canary.port() + "/"))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.code()).isEqualTo(EgressException.BLOCKED));
        assertThatThrownBy(() -> get("http://localhost:" + canary.port() + "/")).hasMessageContaining("names this machine");
        assertThatThrownBy(() -> get("http://canary.example:" + canary.port() + "/")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> get("http://[::1]:" + canary.port() + "/")).hasMessageContaining("loopback");
    }

    @Test
    void everyRedirectHopIsCheckedAgain() {
        // SEC-17: to the metadata address, to a loopback port nobody allowed (307 keeps the POST), to file:
        assertThatThrownBy(() -> get(base() + "/redirect?to=http://169.254.169.254/latest/meta-data/"))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.code()).isEqualTo(EgressException.BLOCKED));
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder("POST", base() + "/redirect307?to=http://127.0.0.1:"
                + canary.port() + "/admin").body("secret".getBytes(StandardCharsets.UTF_8)).build()))
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> get(base() + "/redirect?to=file:///etc/hostname"))
                .hasMessageContaining("scheme file is not allowed");
        assertThatThrownBy(() -> get(base() + "/redirect?to=gopher://127.0.0.1:6379/_INFO"))
                .hasMessageContaining("scheme gopher");
    }

    @Test
    void redirectsAreLimited() {
        assertThatThrownBy(() -> get(base() + "/chain?0"))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.code()).isEqualTo(EgressException.REDIRECTS));
        assertThat(seen).hasSize(6);
        HttpResponse unfollowed = client.send(HttpRequest.newBuilder("GET", base() + "/chain?0").maxRedirects(0).build());
        assertThat(unfollowed.status()).isEqualTo(302);
        assertThat(unfollowed.header("Location")).contains("/chain?1");
    }

    @Test
    void redirectsChangeMethodsAsBrowsersDoAndDropCredentialsAcrossOrigins() {
        HttpResponse response = client.send(HttpRequest.newBuilder("POST", base() + "/redirect?to=/landing")
                .header("Authorization", "Bearer same-origin").header("Content-Type", "text/plain")
                .body("x".getBytes(StandardCharsets.UTF_8)).build());
        assertThat(response.status()).isEqualTo(201);
        assertThat(seen.get(1)).containsEntry("method", "GET").containsEntry("body", "")
                .containsEntry("h:authorization", "Bearer same-origin").doesNotContainKey("h:content-type");

        seen.clear();
        client.send(HttpRequest.newBuilder("PUT", base() + "/redirect307?to=http://127.0.0.1:" + port(other) + "/moved")
                .header("Authorization", "Bearer do-not-forward").header("Cookie", "s=1")
                .header("X-Api-Key", "k-do-not-forward").header("Accept", "text/plain")
                .body("kept".getBytes(StandardCharsets.UTF_8)).build());
        assertThat(seen.get(1)).containsEntry("method", "PUT").containsEntry("body", "kept")
                .containsEntry("port", String.valueOf(port(other))).containsEntry("h:accept", "text/plain")
                .doesNotContainKey("h:authorization").doesNotContainKey("h:cookie").doesNotContainKey("h:x-api-key");
    }

    @Test
    void responsesAreCappedInSize() {
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder("GET", base() + "/big").maxResponseBytes(1024 * 1024).build()))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.code()).isEqualTo(EgressException.TOO_LARGE));
        assertThat(client.send(HttpRequest.newBuilder("GET", base() + "/big").maxResponseBytes(8 * 1024 * 1024).build())
                .bodySize()).isEqualTo(4 * 1024 * 1024);
    }

    @Test
    void aDeclaredHugeBodyIsRefusedBeforeReadingIt() throws Exception {
        try (RawServer raw = new RawServer("HTTP/1.1 200 OK\r\nContent-Length: 5368709120\r\n\r\nabc", 0)) {
            EgressClient allowing = new EgressClient(new Guard(AllowList.parse("127.0.0.1:" + raw.port()), Set.of(), h -> {
                throw new UnknownHostException(h);
            }));
            long started = System.nanoTime();
            assertThatThrownBy(() -> allowing.send(HttpRequest.newBuilder("GET", "http://127.0.0.1:" + raw.port() + "/").build()))
                    .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.code()).isEqualTo(EgressException.TOO_LARGE));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            allowing.close();
        }
    }

    @Test
    void aTricklingServerHitsTheTotalTimeLimit() throws Exception {
        try (RawServer raw = new RawServer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", 500)) {
            EgressClient allowing = new EgressClient(new Guard(AllowList.parse("127.0.0.1:" + raw.port()), Set.of(), h -> {
                throw new UnknownHostException(h);
            }));
            long started = System.nanoTime();
            assertThatThrownBy(() -> allowing.send(HttpRequest.newBuilder("GET", "http://127.0.0.1:" + raw.port() + "/")
                    .readTimeout(Duration.ofSeconds(10)).totalTimeout(Duration.ofMillis(1500)).build()))
                    .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.code()).isEqualTo(EgressException.TIMEOUT));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofMillis(4000));
            allowing.close();
        }
    }

    @Test
    void theCallerCannotNameAnotherHost() {
        client.send(HttpRequest.newBuilder("GET", base() + "/h").header("Host", "admin.internal").build());
        assertThat(seen.get(0)).containsEntry("h:host", "127.0.0.1:" + port(server));
    }

    @Test
    void endlessHeadersAreCutOffAtTheirLimit() throws Exception {
        try (EndlessServer raw = new EndlessServer("HTTP/1.1 200 OK\r\nX-Long: ", "a".repeat(16384))) {
            EgressClient allowing = new EgressClient(new Guard(AllowList.parse("127.0.0.1:" + raw.port()), Set.of(), h -> {
                throw new UnknownHostException(h);
            }));
            long started = System.nanoTime();
            assertThatThrownBy(() -> allowing.send(HttpRequest.newBuilder("GET", "http://127.0.0.1:" + raw.port() + "/")
                    .totalTimeout(Duration.ofSeconds(60)).build()))
                    .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.code()).isEqualTo(EgressException.FAILED));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            allowing.close();
        }
        try (EndlessServer raw = new EndlessServer("HTTP/1.1 200 OK\r\n", "X-Many: 1\r\n")) {
            EgressClient allowing = new EgressClient(new Guard(AllowList.parse("127.0.0.1:" + raw.port()), Set.of(), h -> {
                throw new UnknownHostException(h);
            }));
            assertThatThrownBy(() -> allowing.send(HttpRequest.newBuilder("GET", "http://127.0.0.1:" + raw.port() + "/")
                    .totalTimeout(Duration.ofSeconds(60)).build()))
                    .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.code()).isEqualTo(EgressException.FAILED));
            allowing.close();
        }
    }

    @Test
    void anEndlessChunkedBodyStopsAtTheSizeLimitNotAtTheTimeLimit() throws Exception {
        String chunk = Integer.toHexString(16384) + "\r\n" + "b".repeat(16384) + "\r\n";
        try (EndlessServer raw = new EndlessServer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", chunk)) {
            EgressClient allowing = new EgressClient(new Guard(AllowList.parse("127.0.0.1:" + raw.port()), Set.of(), h -> {
                throw new UnknownHostException(h);
            }));
            long started = System.nanoTime();
            assertThatThrownBy(() -> allowing.send(HttpRequest.newBuilder("GET", "http://127.0.0.1:" + raw.port() + "/")
                    .maxResponseBytes(1024 * 1024).totalTimeout(Duration.ofSeconds(60)).build()))
                    .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.code()).isEqualTo(EgressException.TOO_LARGE));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            allowing.close();
        }
    }

    @Test
    void headerInjectionIsRefused() {
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder("GET", base() + "/")
                .header("X-A", "v\r\nHost: 169.254.169.254").build()))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.code()).isEqualTo("invalid_request"))
                .hasMessageNotContaining("169.254");
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder("GET", base() + "/").header("Bad Name", "v").build()))
                .hasMessageContaining("header name");
        assertThat(seen).isEmpty();
    }

    @Test
    void streamsResponsesAsTheyArrive() throws IOException {
        try (StreamingResponse response = client.open(HttpRequest.newBuilder("GET", base() + "/events").build())) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-type")).contains("text/event-stream");
            BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
            assertThat(reader.lines().filter(l -> !l.isEmpty()).toList()).containsExactly("data: 1", "data: 2", "data: 3");
        }
    }

    @Test
    void aStreamStopsAtItsSizeLimit() {
        StreamingResponse response = client.open(HttpRequest.newBuilder("GET", base() + "/big").maxResponseBytes(100_000).build());
        try (response; InputStream body = response.body()) {
            assertThatThrownBy(body::readAllBytes).isInstanceOf(IOException.class)
                    .cause().isInstanceOfSatisfying(EgressException.class,
                            e -> assertThat(e.code()).isEqualTo(EgressException.TOO_LARGE));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void refusedConnectionsFailCleanly() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        EgressClient allowing = new EgressClient(new Guard(AllowList.parse("127.0.0.1:" + closedPort), Set.of(), h -> {
            throw new UnknownHostException(h);
        }));
        assertThatThrownBy(() -> allowing.send(HttpRequest.newBuilder("GET", "http://127.0.0.1:" + closedPort + "/").build()))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.code()).isEqualTo(EgressException.FAILED))
                .hasMessageContaining("cannot connect");
        allowing.close();
    }

    /** A socket that counts the connections it accepts; nothing may ever reach it. */
    static final class Canary implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        private final ServerSocket socket;

        Canary() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Answers every connection with a head, then the same bytes over and over until the client leaves. */
    static final class EndlessServer implements AutoCloseable {
        private final ServerSocket socket;

        EndlessServer(String head, String repeated) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            byte[] bytes = repeated.getBytes(StandardCharsets.ISO_8859_1);
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s; OutputStream out = s.getOutputStream()) {
                                s.getInputStream().read(new byte[4096]);
                                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                                for (long sent = 0; sent < 6L * 1024 * 1024 * 1024; sent += bytes.length) {
                                    out.write(bytes);
                                }
                            } catch (IOException e) {
                                // the client hung up
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Answers every connection with fixed bytes, then one more byte every {@code trickleMillis}. */
    static final class RawServer implements AutoCloseable {
        private final ServerSocket socket;

        RawServer(String head, long trickleMillis) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s; OutputStream out = s.getOutputStream()) {
                                s.getInputStream().read(new byte[4096]);
                                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                                out.flush();
                                while (trickleMillis > 0) {
                                    Thread.sleep(trickleMillis);
                                    out.write('x');
                                    out.flush();
                                }
                                Thread.sleep(2000);
                            } catch (IOException | InterruptedException e) {
                                // the client went away
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
