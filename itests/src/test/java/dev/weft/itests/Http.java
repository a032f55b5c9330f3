package dev.weft.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small HTTP client for one server on loopback. Console requests (every path but {@code /v1},
 * {@code /api} and the sign-in routes) are made as the installation's owner: on the first one, the client runs the first-run setup when it
 * is still open, signs in, and from then on sends the session cookie and the CSRF token.
 */
final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The owner the tests set the installation up with. */
    static final String OWNER_EMAIL = "owner@weft.test";
    static final String OWNER_PASSWORD = "weft-test-password-1";

    private final String base;
    private final boolean signIn;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String email;
    private final String password;
    private volatile String session;
    private volatile String csrf;

    Http(int port) {
        this(port, true, OWNER_EMAIL, OWNER_PASSWORD);
    }

    private Http(int port, boolean signIn, String email, String password) {
        this.base = "http://127.0.0.1:" + port;
        this.signIn = signIn;
        this.email = email;
        this.password = password;
    }

    /** The port of the server. */
    int port() {
        return java.net.URI.create(base).getPort();
    }

    /** A client that never signs in: every request goes without credentials. */
    static Http anonymous(int port) {
        return new Http(port, false, null, null);
    }

    /** A client that signs in as this account (which must exist). */
    static Http as(int port, String email, String password) {
        return new Http(port, true, email, password);
    }

    /** The session cookie's value, once signed in. */
    String session() {
        signIn();
        return session;
    }

    /** The CSRF token, once signed in. */
    String csrf() {
        signIn();
        return csrf;
    }

    /** A request to a path, with the owner's session when it goes to the console API. */
    HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        boolean signing = path.startsWith("/console/api/auth/setup") || path.startsWith("/console/api/auth/login")
                || path.startsWith("/console/api/auth/invitations/");
        if (signIn && !signing && !path.startsWith("/v1") && !path.startsWith("/api/")) {
            signIn();
            request.header("Cookie", "weft_session=" + session).header("X-CSRF-Token", csrf);
        }
        return request;
    }

    /** Sets the installation up (when it is not yet) and signs the owner in. */
    synchronized void signIn() {
        if (session != null) {
            return;
        }
        String credentials = "{\"email\": \"" + email + "\", \"name\": \"Owner\", \"password\": \""
                + password + "\"}";
        Answer state = get("/console/api/auth/setup");
        if (state.status() != 200) {
            // the server is still starting: callers that wait (tryGet) treat this as no answer yet
            throw new UncheckedIOException(new IOException("sign-in not possible yet: " + state.status()));
        }
        if (state.json().path("step").asText().equals("not_started") && OWNER_EMAIL.equals(email)) {
            Answer setup = post("/console/api/auth/setup", "application/json", credentials);
            if (setup.status() != 201) {
                throw new IllegalStateException("setup failed: " + setup.status() + " " + setup.body());
            }
        }
        try {
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(base + "/console/api/auth/login"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(credentials)).build(), HttpResponse.BodyHandlers.ofString());
            if (login.statusCode() == 503) {
                throw new UncheckedIOException(new IOException("sign-in not possible yet: 503"));
            }
            if (login.statusCode() != 200) {
                throw new IllegalStateException("sign-in failed: " + login.statusCode() + " " + login.body());
            }
            for (String cookie : login.headers().allValues("Set-Cookie")) {
                if (cookie.startsWith("weft_session=")) {
                    session = cookie.substring("weft_session=".length(), cookie.indexOf(';'));
                }
            }
            csrf = JSON.readTree(login.body()).path("data").path("csrf_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends bytes as they are over a new connection to the server (for requests no HTTP client
     * would send) and reads until the server closes it: the whole response, head included.
     */
    static String raw(int port, String request) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** An answer: status, content type and body. */
    record Answer(int status, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer post(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer delete(String path) {
        return send(request(path).DELETE());
    }

    /** A request with the headers given (name, value, name, value...). */
    Answer send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = request(path);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The answer, or null when nothing listens yet. */
    Answer tryGet(String path) {
        try {
            return get(path);
        } catch (UncheckedIOException e) {
            return null;
        }
    }

    HttpClient client() {
        return client;
    }

    URI uri(String path) {
        return URI.create(base + path);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
