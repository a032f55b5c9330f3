package dev.weft.node.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.api.core.Violation;
import dev.weft.api.http.HttpHeader;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableView;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The request an {@code http-request} node's configuration describes, with its templates rendered
 * against the run's variables. Field by field as Dify reads them.
 *
 * @param log the request as text for the run's trace: authorization values masked, and any part
 *        whose template reads an environment variable shown as its template, so that secrets never
 *        reach the trace
 */
record RequestSpec(String method, String url, List<HttpHeader> headers, byte[] body, Duration connectTimeout,
        Duration readTimeout, Duration writeTimeout, boolean verifyTls, String log, boolean urlReadsEnv) {

    /** The most files one request body may carry, and their total size. */
    static final int MAX_FILES = 20;
    static final long MAX_FILE_BYTES_TOTAL = HttpRequestNode.MAX_BINARY_BYTES;

    static final Duration DEFAULT_CONNECT = Duration.ofSeconds(10);
    static final Duration DEFAULT_READ = Duration.ofSeconds(60);
    static final Duration DEFAULT_WRITE = Duration.ofSeconds(20);
    static final Duration MAX_CONNECT = Duration.ofSeconds(10);
    static final Duration MAX_READ = Duration.ofSeconds(600);
    static final Duration MAX_WRITE = Duration.ofSeconds(600);

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "x-api-key", "api-key", "apikey", "x-auth-token");

    static List<Violation> validate(Map<String, Object> config) {
        List<Violation> problems = new ArrayList<>();
        if (!(config.get("method") instanceof String method) || !HttpRequestNode.METHODS.contains(method.toLowerCase(Locale.ROOT))) {
            problems.add(new Violation("/method", "must be one of get, post, put, patch, delete, head, options"));
        }
        if (!(config.get("url") instanceof String url) || url.isBlank()) {
            problems.add(new Violation("/url", "a URL is required"));
        } else if (!url.strip().startsWith("{{#")) {
            String lower = url.strip().toLowerCase(Locale.ROOT);
            if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
                problems.add(new Violation("/url", "must start with http:// or https://"));
            }
        }
        for (String text : List.of("headers", "params")) {
            if (config.get(text) != null && !(config.get(text) instanceof String)) {
                problems.add(new Violation("/" + text, "must be text, one key:value per line"));
            }
        }
        if (config.get("authorization") instanceof Map<?, ?> auth) {
            Object type = auth.get("type");
            if (type != null && !"no-auth".equals(type) && !"api-key".equals(type)) {
                problems.add(new Violation("/authorization/type", "must be no-auth or api-key"));
            }
            if ("api-key".equals(type)) {
                if (!(auth.get("config") instanceof Map<?, ?> c)) {
                    problems.add(new Violation("/authorization/config", "an api-key authorization needs its config"));
                } else if (c.get("type") != null && !Set.of("basic", "bearer", "custom").contains(c.get("type"))) {
                    problems.add(new Violation("/authorization/config/type", "must be basic, bearer or custom"));
                }
            }
        } else if (config.get("authorization") != null) {
            problems.add(new Violation("/authorization", "must be an object"));
        }
        if (config.get("body") instanceof Map<?, ?> body) {
            Object type = body.get("type");
            if (type != null && !HttpRequestNode.BODY_TYPES.contains(type)) {
                problems.add(new Violation("/body/type", "must be one of " + String.join(", ", HttpRequestNode.BODY_TYPES.stream().sorted().toList())));
            }
        } else if (config.get("body") != null) {
            problems.add(new Violation("/body", "must be an object"));
        }
        if (config.get("timeout") != null && !(config.get("timeout") instanceof Map<?, ?>)) {
            problems.add(new Violation("/timeout", "must be an object"));
        }
        return problems;
    }

    static RequestSpec build(Map<String, Object> config, VariableView variables, HttpRequestNode.FileReader files)
            throws NodeException {
        StringBuilder log = new StringBuilder();
        String method = config.get("method") instanceof String m ? m.toUpperCase(Locale.ROOT) : "GET";
        String urlTemplate = text(config.get("url"));
        String url = variables.render(urlTemplate).strip();
        if (url.isEmpty()) {
            throw new NodeException("invalid_url", "url is required");
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new NodeException("invalid_url", "url should start with http:// or https://");
        }
        // params: key:value lines appended to the query, each side rendered on its own
        String paramsTemplate = text(config.get("params"));
        StringBuilder query = new StringBuilder();
        StringBuilder queryLog = new StringBuilder();
        for (String[] p : lines(paramsTemplate)) {
            String key = variables.render(p[0]).strip();
            if (key.isEmpty()) {
                continue;
            }
            String value = variables.render(p[1]).strip();
            query.append(query.isEmpty() ? "" : "&").append(encode(key)).append('=').append(encode(value));
            queryLog.append(queryLog.isEmpty() ? "" : "&").append(key).append('=').append(readsEnv(p[1]) ? p[1] : value);
        }
        String logUrl = readsEnv(urlTemplate) ? urlTemplate : url;
        if (!query.isEmpty()) {
            int hash = url.indexOf('#');
            String base = hash >= 0 ? url.substring(0, hash) : url;
            String joiner = base.contains("?") ? (base.endsWith("?") || base.endsWith("&") ? "" : "&") : "?";
            url = base + joiner + query;
            logUrl = logUrl + joiner + queryLog;
        }
        log.append(method).append(' ').append(logUrl).append('\n');

        String headersTemplate = text(config.get("headers"));
        List<HttpHeader> headers = new ArrayList<>();
        Set<String> envHeaders = new java.util.HashSet<>();
        for (String[] h : lines(headersTemplate)) {
            String name = variables.render(h[0]).strip();
            if (name.isEmpty()) {
                continue;
            }
            set(headers, name, variables.render(h[1]).strip());
            if (readsEnv(h[1])) {
                envHeaders.add(name.toLowerCase(Locale.ROOT));
            }
        }
        String secretHeader = authorize(config, variables, headers);

        byte[] body = null;
        String bodyLog = "";
        Map<?, ?> bodyConfig = config.get("body") instanceof Map<?, ?> b ? b : Map.of();
        String bodyType = bodyConfig.get("type") instanceof String t ? t : "none";
        List<Map<?, ?>> data = bodyData(bodyConfig.get("data"));
        boolean hasContentType = headers.stream().anyMatch(h -> h.name().equalsIgnoreCase("content-type"));
        switch (bodyType) {
            case "none" -> {
            }
            case "raw-text" -> {
                String template = data.isEmpty() ? "" : text(data.get(0).get("value"));
                String rendered = variables.render(template);
                body = rendered.getBytes(StandardCharsets.UTF_8);
                bodyLog = readsEnv(template) ? template : rendered;
                if (!hasContentType) {
                    headers.add(new HttpHeader("Content-Type", "text/plain"));
                }
            }
            case "json" -> {
                String template = data.isEmpty() ? "" : text(data.get(0).get("value"));
                String rendered = variables.render(template);
                if (!rendered.isBlank()) {
                    try {
                        JSON.readTree(rendered);
                    } catch (JsonProcessingException e) {
                        throw new NodeException("request_body_error", "Failed to parse JSON: "
                                + (readsEnv(template) ? template : abbreviate(rendered)));
                    }
                }
                body = rendered.getBytes(StandardCharsets.UTF_8);
                bodyLog = readsEnv(template) ? template : rendered;
                if (!hasContentType) {
                    headers.add(new HttpHeader("Content-Type", "application/json"));
                }
            }
            case "x-www-form-urlencoded" -> {
                StringBuilder form = new StringBuilder();
                StringBuilder formLog = new StringBuilder();
                for (Map<?, ?> item : data) {
                    String key = variables.render(text(item.get("key")));
                    if (key.isEmpty()) {
                        continue;
                    }
                    String template = text(item.get("value"));
                    String value = variables.render(template);
                    form.append(form.isEmpty() ? "" : "&").append(encode(key)).append('=').append(encode(value));
                    formLog.append(formLog.isEmpty() ? "" : "&").append(key).append('=')
                            .append(readsEnv(template) ? template : value);
                }
                body = form.toString().getBytes(StandardCharsets.UTF_8);
                bodyLog = formLog.toString();
                if (!hasContentType) {
                    headers.add(new HttpHeader("Content-Type", "application/x-www-form-urlencoded"));
                }
            }
            case "form-data" -> {
                String boundary = "----WeftFormBoundary" + UUID.randomUUID().toString().replace("-", "");
                int fileCount = 0;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                StringBuilder formLog = new StringBuilder();
                for (Map<?, ?> item : data) {
                    String key = variables.render(text(item.get("key")));
                    if (key.isEmpty()) {
                        continue;
                    }
                    if ("file".equals(item.get("type"))) {
                        List<Map<?, ?>> attached = filesAt(item.get("file"), variables);
                        fileCount += attached.size();
                        if (fileCount > MAX_FILES) {
                            throw new NodeException("request_body_error", "a request may carry at most " + MAX_FILES
                                    + " files");
                        }
                        for (Map<?, ?> file : attached) {
                            String name = HttpRequestNode.FileReader.name(file);
                            String mime = file.get("mime_type") instanceof String mt && !mt.isBlank() ? mt
                                    : "application/octet-stream";
                            byte[] content = files.read(file);
                            if (out.size() + (long) content.length > MAX_FILE_BYTES_TOTAL) {
                                throw new NodeException("request_body_error", "the files of a request may total at most "
                                        + HttpRequestNode.readable(MAX_FILE_BYTES_TOTAL));
                            }
                            part(out, boundary, "Content-Disposition: form-data; name=\"" + quote(key) + "\"; filename=\""
                                    + quote(name) + "\"\r\nContent-Type: " + mime, content);
                            formLog.append(key).append("=<file ").append(name).append(">\n");
                        }
                    } else {
                        String template = text(item.get("value"));
                        String value = variables.render(template);
                        part(out, boundary, "Content-Disposition: form-data; name=\"" + quote(key) + "\"",
                                value.getBytes(StandardCharsets.UTF_8));
                        formLog.append(key).append('=').append(readsEnv(template) ? template : value).append('\n');
                    }
                }
                out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
                body = out.toByteArray();
                bodyLog = formLog.toString();
                headers.removeIf(h -> h.name().equalsIgnoreCase("content-type"));
                headers.add(new HttpHeader("Content-Type", "multipart/form-data; boundary=" + boundary));
            }
            case "binary" -> {
                List<Map<?, ?>> found = data.isEmpty() ? List.of() : filesAt(data.get(0).get("file"), variables);
                if (found.isEmpty()) {
                    throw new NodeException("file_fetch_error", "the binary body needs a file variable, and none was found");
                }
                body = files.read(found.get(0));
                bodyLog = "<file " + HttpRequestNode.FileReader.name(found.get(0)) + ", " + body.length + " bytes>";
                if (!hasContentType) {
                    Object mime = found.get(0).get("mime_type");
                    headers.add(new HttpHeader("Content-Type", mime instanceof String mt && !mt.isBlank() ? mt
                            : "application/octet-stream"));
                }
            }
            default -> throw new NodeException("invalid_config", "unknown body type " + bodyType);
        }

        for (HttpHeader header : headers) {
            boolean secret = SECRET_HEADERS.contains(header.name().toLowerCase(Locale.ROOT))
                    || header.name().equalsIgnoreCase(secretHeader)
                    || envHeaders.contains(header.name().toLowerCase(Locale.ROOT));
            log.append(header.name()).append(": ")
                    .append(secret ? "*".repeat(Math.min(16, Math.max(3, header.value().length()))) : header.value())
                    .append('\n');
        }
        if (!bodyLog.isEmpty()) {
            log.append('\n').append(abbreviate(bodyLog));
        }

        Map<?, ?> timeout = config.get("timeout") instanceof Map<?, ?> t ? t : Map.of();
        Duration connect = seconds(timeout, "connect", "max_connect_timeout", DEFAULT_CONNECT, MAX_CONNECT);
        Duration read = seconds(timeout, "read", "max_read_timeout", DEFAULT_READ, MAX_READ);
        Duration write = seconds(timeout, "write", "max_write_timeout", DEFAULT_WRITE, MAX_WRITE);
        boolean verify = !(config.get("ssl_verify") instanceof Boolean v) || v;
        return new RequestSpec(method, url, List.copyOf(headers), body, connect, read, write, verify, log.toString(),
                readsEnv(urlTemplate) || readsEnv(paramsTemplate));
    }

    /** Adds the authorization header; returns its name when its value is a secret. */
    private static String authorize(Map<String, Object> config, VariableView variables, List<HttpHeader> headers)
            throws NodeException {
        if (!(config.get("authorization") instanceof Map<?, ?> auth) || !"api-key".equals(auth.get("type"))) {
            return null;
        }
        if (!(auth.get("config") instanceof Map<?, ?> c)) {
            throw new NodeException("authorization_config_error", "authorization config is required");
        }
        if (c.get("api_key") == null) {
            throw new NodeException("authorization_config_error", "api_key is required");
        }
        String key = variables.render(text(c.get("api_key")));
        String header = c.get("header") instanceof String h && !h.isBlank() ? variables.render(h).strip() : "Authorization";
        String type = c.get("type") instanceof String t ? t : "basic";
        switch (type) {
            case "bearer" -> {
                if (!key.isEmpty()) {
                    set(headers, header, "Bearer " + key);
                }
            }
            case "basic" -> {
                if (!key.isEmpty()) {
                    String encoded = key.contains(":")
                            ? Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)) : key;
                    set(headers, header, "Basic " + encoded);
                }
            }
            case "custom" -> set(headers, header, key);
            default -> throw new NodeException("authorization_config_error", "unknown authorization type " + type);
        }
        return header;
    }

    private static void set(List<HttpHeader> headers, String name, String value) {
        headers.removeIf(h -> h.name().equalsIgnoreCase(name));
        headers.add(new HttpHeader(name, value));
    }

    /** {@code key:value} lines (Dify's text form of headers and params); blank lines skipped. */
    static List<String[]> lines(String text) {
        List<String[]> out = new ArrayList<>();
        for (String line : text.split("\\r?\\n")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            String key = (colon < 0 ? line : line.substring(0, colon)).strip();
            String value = colon < 0 ? "" : line.substring(colon + 1).strip();
            out.add(new String[] {key, value});
        }
        return out;
    }

    /** The body's data items; old files keep raw and JSON bodies as plain text. */
    private static List<Map<?, ?>> bodyData(Object data) {
        List<Map<?, ?>> out = new ArrayList<>();
        if (data instanceof String text) {
            out.add(Map.of("type", "text", "value", text));
        } else if (data instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> map) {
                    out.add(map);
                }
            }
        }
        return out;
    }

    private static List<Map<?, ?>> filesAt(Object selector, VariableView variables) {
        List<Map<?, ?>> out = new ArrayList<>();
        VariableSelector.fromJson(selector).flatMap(variables::get).ifPresent(value -> {
            if (value instanceof Map<?, ?> file) {
                out.add(file);
            } else if (value instanceof List<?> list) {
                list.stream().filter(Map.class::isInstance).map(f -> (Map<?, ?>) f).forEach(out::add);
            }
        });
        return out;
    }

    private static void part(ByteArrayOutputStream out, String boundary, String head, byte[] content) {
        out.writeBytes(("--" + boundary + "\r\n" + head + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "").replace("\n", "");
    }

    private static Duration seconds(Map<?, ?> timeout, String key, String legacyKey, Duration fallback, Duration max) {
        Object value = timeout.get(key) != null ? timeout.get(key) : timeout.get(legacyKey);
        double s;
        if (value instanceof Number n) {
            s = n.doubleValue();
        } else if (value instanceof String text && text.matches("\\d+(\\.\\d+)?")) {
            s = Double.parseDouble(text);
        } else {
            return fallback;
        }
        if (s <= 0) {
            return fallback;
        }
        Duration d = Duration.ofMillis((long) (s * 1000));
        return d.compareTo(max) > 0 ? max : d;
    }

    private static boolean readsEnv(String template) {
        return template.contains("{{#env.");
    }

    private static String text(Object value) {
        return value == null ? "" : value instanceof String s ? s : String.valueOf(value);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text.length() > 2000 ? text.substring(0, 2000) + "… (" + text.length() + " characters)" : text;
    }
}
