package dev.weft.provider.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake OpenAI-compatible server on loopback that speaks the real wire format: chat completions
 * (JSON, or server-sent events with {@code stream: true} and a usage chunk), embeddings and the model
 * list, at {@code /v1/...}. It answers chat with fixed text; a {@code json_schema} response format
 * with a valid instance of the schema; offered tools (unless {@code tool_choice} is {@code none})
 * with a call of the first tool with arguments valid for its parameters; and nothing else special.
 * Tests can queue failures, slow streams and streams that break off, and read every request sent.
 * A latency ({@link #latency(Duration)}) makes it answer like a remote model: each response's first
 * byte waits that long after the request was read. Every connection is served on a virtual thread
 * of its own, so requests on separate connections never wait for each other.
 */
public final class FakeOpenAiServer implements AutoCloseable {

    /** One request as the server received it. */
    public record Request(String method, String path, Map<String, String> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A scripted answer for the next request. */
    public record Scripted(int status, String body, Map<String, String> headers, Duration chunkDelay, int breakAfterChunks) {
        public static Scripted error(int status, String body) {
            return new Scripted(status, body, Map.of(), Duration.ZERO, -1);
        }

        public static Scripted error(int status, String body, Map<String, String> headers) {
            return new Scripted(status, body, headers, Duration.ZERO, -1);
        }

        /** A normal answer whose stream waits between chunks. */
        public static Scripted slow(Duration delay) {
            return new Scripted(200, null, Map.of(), delay, -1);
        }

        /** A normal answer whose stream stops after some chunks, without [DONE]. */
        public static Scripted truncated(int chunks) {
            return new Scripted(200, null, Map.of(), Duration.ZERO, chunks);
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private volatile Duration pace = Duration.ZERO;
    private volatile Duration latency = Duration.ZERO;
    public static final String DEFAULT_ANSWER = "This is the fake model's answer.";

    private final ServerSocket socket;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Scripted> script = new ConcurrentLinkedQueue<>();
    private volatile String answer = DEFAULT_ANSWER;

    public FakeOpenAiServer() throws IOException {
        this(0);
    }

    public FakeOpenAiServer(int port) throws IOException {
        socket = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("fake-openai").start(this::accept);
    }

    /**
     * Runs the fake on its own: {@code java ... FakeOpenAiServer [port] [latency ms]} prints its base
     * URL and serves until killed.
     */
    public static void main(String[] args) throws Exception {
        FakeOpenAiServer server = new FakeOpenAiServer(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        if (args.length > 1) {
            server.latency(Duration.ofMillis(Long.parseLong(args[1])));
        }
        System.out.println(server.baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** The base URL, with {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }

    public int port() {
        return socket.getLocalPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public FakeOpenAiServer answer(String text) {
        this.answer = text;
        return this;
    }

    /** Streams every answer without a script of its own with this pause before each chunk. */
    public FakeOpenAiServer pace(Duration pause) {
        this.pace = pause;
        return this;
    }

    /**
     * Waits this long after reading each request before sending the first byte of its response
     * (JSON answers, streams and scripted errors alike), like a model's time to first token; 0, the
     * default, answers at once. Requests on different connections wait in parallel.
     */
    public FakeOpenAiServer latency(Duration wait) {
        if (wait == null || wait.isNegative()) {
            throw new IllegalArgumentException("latency must be zero or positive: " + wait);
        }
        this.latency = wait;
        return this;
    }

    /** Answers the next request so. */
    public FakeOpenAiServer then(Scripted next) {
        script.add(next);
        return this;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread.ofVirtual().name("fake-openai-client").start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            // answers go out whole, without waiting on the client's delayed acknowledgements
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            return;
        }
        try (client; InputStream in = new java.io.BufferedInputStream(client.getInputStream());
                OutputStream out = new java.io.BufferedOutputStream(client.getOutputStream(), 64 * 1024)) {
            while (true) {
                Request request = read(in);
                if (request == null) {
                    return;
                }
                requests.add(request);
                Duration wait = latency;
                if (!wait.isZero()) {
                    try {
                        Thread.sleep(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                Scripted scripted = script.poll();
                if (scripted != null && scripted.status() >= 300) {
                    respond(out, scripted.status(), "application/json", scripted.body().getBytes(StandardCharsets.UTF_8),
                            scripted.headers());
                    continue;
                }
                String path = request.path().replaceFirst("^/v1", "");
                if (request.method().equals("GET") && path.equals("/models")) {
                    respond(out, 200, "application/json", JSON.writeValueAsBytes(Map.of("object", "list", "data",
                            List.of(Map.of("id", "fake-chat", "object", "model"), Map.of("id", "fake-embed", "object", "model")))), Map.of());
                } else if (request.method().equals("POST") && path.equals("/chat/completions")) {
                    chat(out, request.json(), scripted);
                    if (scripted != null && scripted.breakAfterChunks() >= 0) {
                        return;
                    }
                } else if (request.method().equals("POST") && path.equals("/embeddings")) {
                    embeddings(out, request.json());
                } else {
                    respond(out, 404, "application/json", "{\"error\":{\"message\":\"no such route\",\"type\":\"invalid_request_error\"}}"
                            .getBytes(StandardCharsets.UTF_8), Map.of());
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or broke the protocol
        }
    }

    private void chat(OutputStream out, JsonNode request, Scripted scripted) throws IOException {
        String model = request.path("model").asText("fake-chat");
        ObjectNode message = JSON.createObjectNode().put("role", "assistant");
        String finish = "stop";
        JsonNode tools = request.path("tools");
        JsonNode format = request.path("response_format");
        String content;
        if (tools.isArray() && !tools.isEmpty() && !"none".equals(request.path("tool_choice").asText())) {
            JsonNode function = tools.get(0).path("function");
            content = null;
            ArrayNode calls = message.putArray("tool_calls");
            ObjectNode call = calls.addObject().put("id", "call_fake_1").put("type", "function");
            call.putObject("function").put("name", function.path("name").asText())
                    .put("arguments", JSON.writeValueAsString(instance(function.path("parameters"))));
            finish = "tool_calls";
        } else if ("json_schema".equals(format.path("type").asText())) {
            content = JSON.writeValueAsString(instance(format.path("json_schema").path("schema")));
        } else if ("json_object".equals(format.path("type").asText())) {
            content = "{\"answer\": " + JSON.writeValueAsString(answer) + "}";
        } else {
            content = answer;
        }
        int promptTokens = Math.max(1, request.path("messages").toString().length() / 4);
        int completionTokens = content == null ? 10 : Math.max(1, content.length() / 4);
        if (!request.path("stream").asBoolean(false)) {
            if (content != null) {
                message.put("content", content);
            } else {
                message.putNull("content");
            }
            ObjectNode body = JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion")
                    .put("created", 1700000000).put("model", model);
            body.putArray("choices").addObject().put("index", 0).put("finish_reason", finish).set("message", message);
            body.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                    .put("total_tokens", promptTokens + completionTokens);
            respond(out, 200, "application/json", JSON.writeValueAsBytes(body), Map.of());
            return;
        }
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        List<ObjectNode> chunks = new ArrayList<>();
        chunks.add(chunk(model, JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
        if (content != null) {
            for (String piece : pieces(content)) {
                chunks.add(chunk(model, JSON.createObjectNode().put("content", piece), null));
            }
        } else {
            JsonNode call = message.path("tool_calls").get(0);
            ObjectNode first = JSON.createObjectNode();
            ObjectNode c = first.putArray("tool_calls").addObject().put("index", 0).put("id", call.path("id").asText())
                    .put("type", "function");
            c.putObject("function").put("name", call.path("function").path("name").asText()).put("arguments", "");
            chunks.add(chunk(model, first, null));
            for (String piece : pieces(call.path("function").path("arguments").asText())) {
                ObjectNode delta = JSON.createObjectNode();
                delta.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", piece);
                chunks.add(chunk(model, delta, null));
            }
        }
        chunks.add(chunk(model, JSON.createObjectNode(), finish));
        ObjectNode usage = JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
                .put("created", 1700000000).put("model", model);
        usage.putArray("choices");
        usage.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        chunks.add(usage);
        int sent = 0;
        for (ObjectNode chunk : chunks) {
            if (scripted != null && scripted.breakAfterChunks() >= 0 && sent >= scripted.breakAfterChunks()) {
                out.flush();
                return;
            }
            Duration pause = scripted != null ? scripted.chunkDelay() : pace;
            if (!pause.isZero()) {
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            out.write(("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            sent++;
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        int step = Math.max(1, Math.min(8, text.length() / 4 + 1));
        for (int i = 0; i < text.length(); i += step) {
            pieces.add(text.substring(i, Math.min(text.length(), i + step)));
        }
        return pieces;
    }

    private static ObjectNode chunk(String model, ObjectNode delta, String finish) {
        ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
                .put("created", 1700000000).put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return chunk;
    }

    private void embeddings(OutputStream out, JsonNode request) throws IOException {
        JsonNode input = request.path("input");
        List<String> texts = new ArrayList<>();
        if (input.isTextual()) {
            texts.add(input.asText());
        } else {
            input.forEach(t -> texts.add(t.asText()));
        }
        ObjectNode body = JSON.createObjectNode().put("object", "list").put("model", request.path("model").asText());
        ArrayNode data = body.putArray("data");
        int tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            ArrayNode vector = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
            for (double v : vector(texts.get(i))) {
                vector.add(v);
            }
            tokens += Math.max(1, texts.get(i).length() / 4);
        }
        body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        respond(out, 200, "application/json", JSON.writeValueAsBytes(body), Map.of());
    }

    /** A deterministic unit vector of 8 dimensions from the text's words. */
    static double[] vector(String text) {
        double[] v = new double[8];
        for (String word : text.toLowerCase(Locale.ROOT).split("\\W+")) {
            if (!word.isEmpty()) {
                v[Math.floorMod(word.hashCode(), 8)] += 1;
            }
        }
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < v.length; i++) {
            v[i] = norm == 0 ? (i == 0 ? 1 : 0) : v[i] / norm;
        }
        return v;
    }

    /** A value valid for a JSON schema (the parts of JSON Schema that model schemas use). */
    public static JsonNode instance(JsonNode schema) {
        if (schema == null || schema.isMissingNode() || schema.isNull()) {
            return JSON.createObjectNode();
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.has("enum") && schema.get("enum").isArray() && !schema.get("enum").isEmpty()) {
            return schema.get("enum").get(0);
        }
        for (String combinator : List.of("anyOf", "oneOf", "allOf")) {
            if (schema.path(combinator).isArray() && !schema.path(combinator).isEmpty()) {
                for (JsonNode option : schema.path(combinator)) {
                    if (!"null".equals(option.path("type").asText())) {
                        return instance(option);
                    }
                }
            }
        }
        String type = schema.path("type").asText("");
        if (schema.path("type").isArray()) {
            for (JsonNode t : schema.path("type")) {
                if (!t.asText().equals("null")) {
                    type = t.asText();
                    break;
                }
            }
        }
        if (type.isEmpty() && schema.has("properties")) {
            type = "object";
        }
        return switch (type) {
            case "object" -> {
                ObjectNode object = JSON.createObjectNode();
                Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
                while (properties.hasNext()) {
                    Map.Entry<String, JsonNode> property = properties.next();
                    object.set(property.getKey(), instance(property.getValue()));
                }
                yield object;
            }
            case "array" -> {
                ArrayNode array = JSON.createArrayNode();
                int items = Math.max(1, schema.path("minItems").asInt(1));
                for (int i = 0; i < items; i++) {
                    array.add(instance(schema.path("items")));
                }
                yield array;
            }
            case "integer" -> JSON.getNodeFactory().numberNode(Math.max(1, schema.path("minimum").asInt(1)));
            case "number" -> JSON.getNodeFactory().numberNode(schema.has("minimum") ? schema.path("minimum").asDouble() : 1.5);
            case "boolean" -> JSON.getNodeFactory().booleanNode(true);
            case "null" -> JSON.getNodeFactory().nullNode();
            default -> JSON.getNodeFactory().textNode("sample");
        };
    }

    private static Request read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            state = (c == '\r' || c == '\n') ? state + 1 : 0;
            if (state == 4 || (state == 2 && head.size() >= 2 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\n\n"))) {
                break;
            }
            if (head.size() > 64 * 1024) {
                throw new IOException("head too large");
            }
        }
        if (head.size() == 0) {
            return null;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r?\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length < 2) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new Request(requestLine[0], requestLine[1], headers, body);
    }

    private static void respond(OutputStream out, int status, String type, byte[] body, Map<String, String> headers)
            throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
                .append("Content-Type: ").append(type).append("\r\nContent-Length: ").append(body.length).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 529 -> "Overloaded";
            default -> "Status";
        };
    }
}
