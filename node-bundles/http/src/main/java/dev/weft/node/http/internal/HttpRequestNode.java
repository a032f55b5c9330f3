package dev.weft.node.http.internal;

import dev.weft.api.core.Violation;
import dev.weft.api.http.EgressException;
import dev.weft.api.http.HttpHeader;
import dev.weft.api.http.HttpRequest;
import dev.weft.api.http.HttpResponse;
import dev.weft.api.http.OutboundHttp;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.VariableSpec;
import dev.weft.spi.node.VariableType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code http-request}: sends one request as Dify's node does (method, URL, params and headers as
 * {@code key:value} lines, authorization, every body type, timeouts, {@code ssl_verify}) through
 * the platform's egress guard, and outputs {@code status_code}, {@code body}, {@code headers} and
 * {@code files}.
 *
 * <p>As in Dify, an error status (4xx, 5xx) is an ordinary result unless the node has retries or an
 * error strategy, in which case it fails the node so that those can act. Text bodies are limited to
 * 1 MB and file bodies to 10 MB.
 */
@Component(service = NodeType.class)
public final class HttpRequestNode implements NodeType {

    static final long MAX_TEXT_BYTES = 1024L * 1024;
    static final long MAX_BINARY_BYTES = 10L * 1024 * 1024;
    static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options");
    static final Set<String> BODY_TYPES = Set.of("none", "form-data", "x-www-form-urlencoded", "raw-text", "json", "binary");

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor("http-request", "1", "HTTP Request",
            "Sends an HTTP request to a URL and outputs the response.", "tool",
            Map.of("type", "object", "required", List.of("method", "url"), "properties", Map.of(
                    "method", Map.of("type", "string", "enum", List.copyOf(METHODS)),
                    "url", Map.of("type", "string"),
                    "headers", Map.of("type", "string"),
                    "params", Map.of("type", "string"),
                    "authorization", Map.of("type", "object"),
                    "body", Map.of("type", "object"),
                    "timeout", Map.of("type", "object"),
                    "ssl_verify", Map.of("type", "boolean"))),
            List.of(),
            List.of(VariableSpec.of("body", VariableType.STRING), VariableSpec.of("status_code", VariableType.NUMBER),
                    VariableSpec.of("headers", VariableType.OBJECT), VariableSpec.of("files", VariableType.ARRAY_FILE)));

    private final OutboundHttp http;

    @Activate
    public HttpRequestNode(@Reference OutboundHttp http) {
        this.http = http;
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        return RequestSpec.validate(config);
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException {
        RequestSpec spec = RequestSpec.build(context.config(), context.variables(), new FileReader(http));
        HttpRequest.Builder builder = HttpRequest.newBuilder(spec.method(), spec.url())
                .connectTimeout(spec.connectTimeout())
                .readTimeout(spec.readTimeout())
                .totalTimeout(spec.connectTimeout().plus(spec.readTimeout()).plus(spec.writeTimeout()))
                .maxResponseBytes(MAX_BINARY_BYTES)
                .maxRedirects(HttpRequest.DEFAULT_MAX_REDIRECTS)
                .verifyTls(spec.verifyTls());
        for (HttpHeader header : spec.headers()) {
            builder.header(header.name(), header.value());
        }
        if (spec.body() != null) {
            builder.body(spec.body());
        }
        HttpResponse response;
        try {
            response = http.send(builder.build());
        } catch (EgressException e) {
            if (e.code().equals(EgressException.TOO_LARGE)) {
                throw new NodeException("response_size_error", "The response is larger than "
                        + readable(MAX_BINARY_BYTES) + ", the most a file response may be");
            }
            throw new NodeException(e.code(), e.getMessage());
        }
        ResponseKind kind = ResponseKind.of(response);
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("status_code", response.status());
        if (kind.isFile()) {
            outputs.put("body", "");
            outputs.put("files", List.of(kind.fileDescriptor(response, spec.urlReadsEnv())));
        } else {
            if (response.bodySize() > MAX_TEXT_BYTES) {
                throw new NodeException("response_size_error", "Text size is too large, max size is "
                        + readable(MAX_TEXT_BYTES) + ", but current size is " + readable(response.bodySize()));
            }
            outputs.put("body", response.bodyText());
            outputs.put("files", List.of());
        }
        outputs.put("headers", headerMap(response.headers()));
        if (response.status() >= 400 && failsOnErrorStatus(context.config())) {
            throw new NodeException("http_response_code_error", "Request failed with status code " + response.status());
        }
        return NodeResult.of(outputs).withProcessData(Map.of("request", spec.log()));
    }

    /** Dify fails the node on an error status only when retries or an error strategy can act on it. */
    private static boolean failsOnErrorStatus(Map<String, Object> config) {
        Object strategy = config.get("error_strategy");
        boolean hasStrategy = strategy instanceof String s && !s.isBlank() && !s.equals("none");
        boolean retries = config.get("retry_config") instanceof Map<?, ?> retry && Boolean.TRUE.equals(retry.get("retry_enabled"));
        return hasStrategy || retries;
    }

    private static Map<String, Object> headerMap(List<HttpHeader> headers) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (HttpHeader header : headers) {
            String name = header.name().toLowerCase(Locale.ROOT);
            out.merge(name, header.value(), (a, b) -> a + ", " + b);
        }
        return out;
    }

    static String readable(long bytes) {
        if (bytes >= 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2f MB", bytes / (1024.0 * 1024));
        }
        if (bytes >= 1024) {
            return String.format(Locale.ROOT, "%.2f KB", bytes / 1024.0);
        }
        return bytes + " bytes";
    }

    /** Reads the content of file variables for binary and form-data bodies. */
    static final class FileReader {
        private final OutboundHttp http;

        FileReader(OutboundHttp http) {
            this.http = http;
        }

        /** The bytes of a file variable: fetched through the egress guard when it lives at a URL. */
        byte[] read(Map<?, ?> file) throws NodeException {
            Object url = file.get("remote_url") instanceof String r && !r.isBlank() ? r : file.get("url");
            if (url instanceof String u && (u.startsWith("http://") || u.startsWith("https://"))) {
                try {
                    HttpResponse response = http.send(HttpRequest.newBuilder("GET", u).maxResponseBytes(MAX_BINARY_BYTES)
                            .totalTimeout(Duration.ofSeconds(60)).build());
                    if (response.status() >= 400) {
                        throw new NodeException("file_fetch_error", "the file " + name(file)
                                + " could not be fetched: status " + response.status());
                    }
                    return response.body();
                } catch (EgressException e) {
                    throw new NodeException("file_fetch_error", "the file " + name(file) + " could not be fetched: "
                            + e.getMessage());
                }
            }
            throw new NodeException("file_fetch_error", "the file " + name(file)
                    + " is stored in Weft, and stored files cannot be sent yet; use a file given by URL");
        }

        static String name(Map<?, ?> file) {
            return file.get("filename") instanceof String n ? n : "(unnamed)";
        }
    }

    static List<HttpHeader> copy(List<HttpHeader> headers) {
        return new ArrayList<>(headers);
    }
}
