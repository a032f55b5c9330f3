package dev.weft.bench;

import static dev.weft.bench.ServiceBench.shorten;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A small HTTP/1.1 client for the set-up and the run counts, with the console's session once signed in. */
final class SetupHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, Map<String, List<String>> headers, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String cookie(String name) {
            for (String value : headers.getOrDefault("set-cookie", List.of())) {
                String first = value.split(";", 2)[0].strip();
                if (first.startsWith(name + "=")) {
                    return first.substring(name.length() + 1);
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return status + " " + shorten(body);
        }
    }

    private final String base;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> console = new LinkedHashMap<>();

    SetupHttp(String base) {
        this.base = base;
    }

    String base() {
        return base;
    }

    void console(String session, String csrf) {
        console.put("Cookie", "weft_session=" + session);
        console.put("X-CSRF-Token", csrf);
    }

    Answer expect(int status, String method, String path, Object body) throws IOException, InterruptedException {
        return expect(status, method, path, body, path.startsWith("/console/") ? console : Map.of());
    }

    Answer expect(int status, String method, String path, Object body, Map<String, String> headers)
            throws IOException, InterruptedException {
        Answer answer = send(method, path, body == null ? null : JSON.writeValueAsBytes(body), headers);
        if (answer.status() != status) {
            throw new IllegalStateException(method + " " + path + " answered " + answer + " (expected " + status + ")");
        }
        return answer;
    }

    Answer send(String method, String path, byte[] body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().map().entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue,
                        (a, b) -> { List<String> all = new ArrayList<>(a); all.addAll(b); return all; })),
                response.body());
    }
}
