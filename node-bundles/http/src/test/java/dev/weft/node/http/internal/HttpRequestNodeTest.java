package dev.weft.node.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.http.EgressException;
import dev.weft.api.http.HttpHeader;
import dev.weft.api.http.HttpRequest;
import dev.weft.api.http.HttpResponse;
import dev.weft.api.http.OutboundHttp;
import dev.weft.api.http.StreamingResponse;
import dev.weft.node.testing.TestNodeContext;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The node's Dify behaviours, against a recording double of the egress service. */
class HttpRequestNodeTest {

    private final List<HttpRequest> sent = new ArrayList<>();
    private Function<HttpRequest, HttpResponse> answer = r -> response(200, "text/plain", "ok");

    private final OutboundHttp http = new OutboundHttp() {
        @Override
        public HttpResponse send(HttpRequest request) {
            sent.add(request);
            return answer.apply(request);
        }

        @Override
        public StreamingResponse open(HttpRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void check(String url) {
        }
    };

    private final HttpRequestNode node = new HttpRequestNode(http);

    static HttpResponse response(int status, String type, String body, HttpHeader... extra) {
        List<HttpHeader> headers = new ArrayList<>();
        if (type != null) {
            headers.add(new HttpHeader("Content-Type", type));
        }
        headers.addAll(List.of(extra));
        return new HttpResponse(status, headers, body.getBytes(StandardCharsets.UTF_8), "https://api.example/x");
    }

    private static Map<String, Object> config(Object... pairs) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("type", "http-request");
        config.put("method", "get");
        config.put("url", "https://api.example/items");
        for (int i = 0; i < pairs.length; i += 2) {
            config.put((String) pairs[i], pairs[i + 1]);
        }
        return config;
    }

    private static String header(HttpRequest request, String name) {
        return request.headers().stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HttpHeader::value)
                .findFirst().orElse(null);
    }

    private static String body(HttpRequest request) {
        return new String(request.body(), StandardCharsets.UTF_8);
    }

    @Test
    void rendersUrlParamsAndHeadersFromVariables() throws NodeException {
        NodeResult result = node.execute(TestNodeContext.of(config(
                "url", "https://api.example/search?lang=en",
                "params", "q:{{#start.query#}}\n\nlimit: 5\n",
                "headers", "X-Trace: {{#start.trace#}}\nAccept:application/json")).with("start.query", "a b&c").with("start.trace", "t-1"));
        HttpRequest request = sent.get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.url()).isEqualTo("https://api.example/search?lang=en&q=a+b%26c&limit=5");
        assertThat(header(request, "X-Trace")).isEqualTo("t-1");
        assertThat(header(request, "Accept")).isEqualTo("application/json");
        assertThat(request.body()).isNull();
        assertThat(result.outputs()).containsEntry("status_code", 200).containsEntry("body", "ok")
                .containsEntry("files", List.of());
        assertThat(result.outputs().get("headers")).isEqualTo(Map.of("content-type", "text/plain"));
    }

    @Test
    void everyMethodIsSentUpperCase() throws NodeException {
        for (String method : List.of("get", "post", "put", "patch", "delete", "head", "options")) {
            node.execute(TestNodeContext.of(config("method", method)));
        }
        assertThat(sent).extracting(HttpRequest::method).containsExactly("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    }

    @Test
    void jsonBodiesAreRenderedCheckedAndTyped() throws NodeException {
        node.execute(TestNodeContext.of(config("method", "post", "body", Map.of("type", "json", "data",
                List.of(Map.of("type", "text", "value", "{\"q\": \"{{#start.query#}}\", \"n\": 1}"))))).with("start.query", "hi"));
        assertThat(body(sent.get(0))).isEqualTo("{\"q\": \"hi\", \"n\": 1}");
        assertThat(header(sent.get(0), "Content-Type")).isEqualTo("application/json");

        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("method", "post", "body", Map.of("type", "json",
                "data", List.of(Map.of("type", "text", "value", "{\"q\": {{#start.query#}}}"))))).with("start.query", "not json")))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("request_body_error"))
                .hasMessageStartingWith("Failed to parse JSON");
        assertThat(sent).hasSize(1);
    }

    @Test
    void legacyBodiesKeepTheirTextInData() throws NodeException {
        node.execute(TestNodeContext.of(config("method", "post", "body", Map.of("type", "raw-text", "data", "plain {{#start.x#}}")))
                .with("start.x", "text"));
        assertThat(body(sent.get(0))).isEqualTo("plain text");
        assertThat(header(sent.get(0), "Content-Type")).isEqualTo("text/plain");
    }

    @Test
    void anExplicitContentTypeWins() throws NodeException {
        node.execute(TestNodeContext.of(config("method", "post", "headers", "content-type: application/vnd.api+json",
                "body", Map.of("type", "json", "data", List.of(Map.of("type", "text", "value", "{}"))))));
        assertThat(sent.get(0).headers()).filteredOn(h -> h.name().equalsIgnoreCase("content-type")).hasSize(1)
                .first().extracting(HttpHeader::value).isEqualTo("application/vnd.api+json");
    }

    @Test
    void formBodiesAreEncoded() throws NodeException {
        node.execute(TestNodeContext.of(config("method", "post", "body", Map.of("type", "x-www-form-urlencoded", "data", List.of(
                Map.of("key", "name", "type", "text", "value", "{{#start.name#}}"),
                Map.of("key", "note", "type", "text", "value", "a=b&c"))))).with("start.name", "Ada Lovelace"));
        assertThat(body(sent.get(0))).isEqualTo("name=Ada+Lovelace&note=a%3Db%26c");
        assertThat(header(sent.get(0), "Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    }

    @Test
    void multipartBodiesCarryTextPartsAndFilesGivenByUrl() throws NodeException {
        answer = r -> r.url().equals("https://files.example/report.pdf")
                ? new HttpResponse(200, List.of(new HttpHeader("Content-Type", "application/pdf")), "%PDF-1".getBytes(StandardCharsets.UTF_8), r.url())
                : response(200, "text/plain", "stored");
        Map<String, Object> file = Map.of("type", "document", "transfer_method", "remote_url",
                "remote_url", "https://files.example/report.pdf", "filename", "report.pdf", "mime_type", "application/pdf");
        node.execute(TestNodeContext.of(config("method", "post", "body", Map.of("type", "form-data", "data", List.of(
                Map.of("key", "title", "type", "text", "value", "Q3 {{#start.name#}}"),
                Map.of("key", "doc", "type", "file", "file", List.of("start", "doc"))))))
                .with("start.name", "report").with("start.doc", file));
        HttpRequest upload = sent.get(1);
        String contentType = header(upload, "Content-Type");
        assertThat(contentType).startsWith("multipart/form-data; boundary=");
        String boundary = contentType.substring(contentType.indexOf('=') + 1);
        assertThat(body(upload)).isEqualTo("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nQ3 report\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"report.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n%PDF-1\r\n--" + boundary + "--\r\n");
    }

    @Test
    void binaryBodiesSendTheFile() throws NodeException {
        answer = r -> r.method().equals("GET")
                ? new HttpResponse(200, List.of(), new byte[] {1, 2, 3}, r.url()) : response(201, "text/plain", "ok");
        node.execute(TestNodeContext.of(config("method", "put", "body", Map.of("type", "binary", "data",
                List.of(Map.of("type", "file", "file", List.of("start", "blob"))))))
                .with("start.blob", Map.of("remote_url", "https://files.example/b.bin", "filename", "b.bin", "mime_type", "image/png")));
        assertThat(sent.get(1).body()).containsExactly(1, 2, 3);
        assertThat(header(sent.get(1), "Content-Type")).isEqualTo("image/png");
    }

    @Test
    void storedFilesAreRefusedClearlyUntilTheFileStoreExists() {
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("method", "put", "body", Map.of("type", "binary", "data",
                List.of(Map.of("type", "file", "file", List.of("start", "blob"))))))
                .with("start.blob", Map.of("transfer_method", "local_file", "related_id", "f1", "filename", "a.png"))))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("file_fetch_error"))
                .hasMessageContaining("a.png");
    }

    @Test
    void authorizationAsDifySendsIt() throws NodeException {
        node.execute(TestNodeContext.of(config("authorization", Map.of("type", "api-key", "config",
                Map.of("type", "bearer", "api_key", "{{#env.TOKEN#}}")))).with("env.TOKEN", "sk-secret"));
        node.execute(TestNodeContext.of(config("authorization", Map.of("type", "api-key", "config",
                Map.of("type", "basic", "api_key", "user:pass")))));
        node.execute(TestNodeContext.of(config("authorization", Map.of("type", "api-key", "config",
                Map.of("type", "basic", "api_key", "dXNlcjpwYXNz")))));
        node.execute(TestNodeContext.of(config("authorization", Map.of("type", "api-key", "config",
                Map.of("type", "custom", "header", "X-Api-Key", "api_key", "k-1")))));
        node.execute(TestNodeContext.of(config("authorization", Map.of("type", "no-auth", "config", Map.of()))));
        assertThat(header(sent.get(0), "Authorization")).isEqualTo("Bearer sk-secret");
        assertThat(header(sent.get(1), "Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString("user:pass".getBytes()));
        assertThat(header(sent.get(2), "Authorization")).isEqualTo("Basic dXNlcjpwYXNz");
        assertThat(header(sent.get(3), "X-Api-Key")).isEqualTo("k-1");
        assertThat(header(sent.get(4), "Authorization")).isNull();
    }

    @Test
    void theTraceNeverShowsSecrets() throws NodeException {
        NodeResult result = node.execute(TestNodeContext.of(config(
                "url", "https://api.example/v1?key={{#env.KEY#}}",
                "params", "sig:{{#env.SIG#}}\nq:{{#start.q#}}",
                "headers", "X-Custom-Secret: {{#env.HDR#}}\nX-Plain: visible",
                "authorization", Map.of("type", "api-key", "config", Map.of("type", "bearer", "api_key", "{{#env.TOKEN#}}")),
                "method", "post",
                "body", Map.of("type", "json", "data", List.of(Map.of("type", "text", "value", "{\"k\": \"{{#env.BODY#}}\"}")))))
                .with("env.KEY", "s3cr3t-key").with("env.SIG", "s3cr3t-sig").with("env.HDR", "s3cr3t-hdr")
                .with("env.TOKEN", "s3cr3t-token").with("env.BODY", "s3cr3t-body").with("start.q", "shown"));
        String trace = (String) result.processData().get("request");
        assertThat(trace).doesNotContain("s3cr3t").contains("X-Plain: visible").contains("q=shown")
                .contains("{{#env.KEY#}}").contains("Authorization: ****");
        assertThat(sent.get(0).url()).isEqualTo("https://api.example/v1?key=s3cr3t-key&sig=s3cr3t-sig&q=shown");
    }

    @Test
    void timeoutsAreReadAndCapped() throws NodeException {
        node.execute(TestNodeContext.of(config("timeout", Map.of("connect", 3, "read", 7, "write", 2))));
        node.execute(TestNodeContext.of(config("timeout", Map.of("max_connect_timeout", 300, "max_read_timeout", 9000, "max_write_timeout", 0))));
        node.execute(TestNodeContext.of(config()));
        assertThat(sent.get(0).connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(sent.get(0).readTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(sent.get(0).totalTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(sent.get(1).connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(sent.get(1).readTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(sent.get(2).readTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(sent).allSatisfy(r -> assertThat(r.verifyTls()).isTrue());
        node.execute(TestNodeContext.of(config("ssl_verify", false)));
        assertThat(sent.get(3).verifyTls()).isFalse();
    }

    @Test
    void errorStatusesAreResultsUnlessRetriesOrAnErrorStrategyCanAct() throws NodeException {
        answer = r -> response(503, "application/json", "{\"error\":\"busy\"}");
        NodeResult plain = node.execute(TestNodeContext.of(config()));
        assertThat(plain.outputs()).containsEntry("status_code", 503).containsEntry("body", "{\"error\":\"busy\"}");
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("error_strategy", "fail-branch"))))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("http_response_code_error"))
                .hasMessage("Request failed with status code 503");
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("retry_config",
                Map.of("retry_enabled", true, "max_retries", 2, "retry_interval", 100)))))
                .hasMessage("Request failed with status code 503");
    }

    @Test
    void fileResponsesGoToFilesAndTextResponsesToBody() throws NodeException {
        answer = r -> new HttpResponse(200, List.of(new HttpHeader("Content-Type", "image/png"),
                new HttpHeader("Content-Disposition", "attachment; filename=\"chart.png\"")), new byte[] {(byte) 0x89, 'P', 'N', 'G'}, r.url());
        NodeResult file = node.execute(TestNodeContext.of(config()));
        assertThat(file.outputs()).containsEntry("body", "");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) file.outputs().get("files");
        assertThat(files).singleElement().satisfies(f -> assertThat(f)
                .containsEntry("filename", "chart.png").containsEntry("mime_type", "image/png").containsEntry("type", "image")
                .containsEntry("size", 4).containsEntry("transfer_method", "remote_url").containsEntry("extension", ".png"));

        answer = r -> new HttpResponse(200, List.of(), "no type, but text".getBytes(StandardCharsets.UTF_8), r.url());
        assertThat(node.execute(TestNodeContext.of(config())).outputs()).containsEntry("body", "no type, but text");
        answer = r -> new HttpResponse(200, List.of(), new byte[] {(byte) 0xff, (byte) 0xfe, 0}, r.url());
        assertThat(node.execute(TestNodeContext.of(config())).outputs()).containsEntry("body", "");
    }

    @Test
    void aFileResponseFromAUrlWithSecretsKeepsNoQuery() throws NodeException {
        answer = r -> new HttpResponse(200, List.of(new HttpHeader("Content-Type", "application/pdf")), new byte[] {1},
                "https://api.example/report.pdf?key=s3cr3t");
        NodeResult result = node.execute(TestNodeContext.of(config("url", "https://api.example/report.pdf",
                "params", "key:{{#env.KEY#}}")).with("env.KEY", "s3cr3t"));
        assertThat(result.outputs().toString()).doesNotContain("s3cr3t").contains("https://api.example/report.pdf");
    }

    @Test
    void multipartFilesAreBoundedInNumberAndSize() {
        answer = r -> r.method().equals("GET")
                ? new HttpResponse(200, List.of(), new byte[6 * 1024 * 1024], r.url()) : response(200, "text/plain", "ok");
        Map<String, Object> file = Map.of("remote_url", "https://files.example/big.bin", "filename", "big.bin");
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("method", "post", "body", Map.of("type", "form-data",
                "data", List.of(Map.of("key", "f", "type", "file", "file", List.of("start", "files"))))))
                .with("start.files", List.of(file, file))))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("request_body_error"))
                .hasMessageContaining("at most 10.00 MB");
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("method", "post", "body", Map.of("type", "form-data",
                "data", List.of(Map.of("key", "f", "type", "file", "file", List.of("start", "files"))))))
                .with("start.files", java.util.Collections.nCopies(21, file))))
                .hasMessageContaining("at most 20 files");
    }

    @Test
    void textLargerThanOneMegabyteFailsAsInDify() {
        answer = r -> response(200, "text/plain", "x".repeat(1024 * 1024 + 1));
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config())))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("response_size_error"))
                .hasMessage("Text size is too large, max size is 1.00 MB, but current size is 1.00 MB");
    }

    @Test
    void egressRefusalsFailTheNodeWithTheGuardsReason() {
        answer = r -> {
            throw new EgressException(EgressException.BLOCKED, "egress blocked: the host x resolves to a private address");
        };
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config())))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("egress_blocked"))
                .hasMessageContaining("private address");
    }

    @Test
    void urlsMustBeHttp() {
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("url", "{{#start.u#}}")).with("start.u", "file:///etc/hostname")))
                .hasMessage("url should start with http:// or https://");
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("url", "{{#start.u#}}"))))
                .hasMessage("url is required");
        assertThat(sent).isEmpty();
    }

    @Test
    void validationReportsEachProblemWithItsField() {
        assertThat(node.validate(config("method", "fetch", "url", "gopher://x/", "body", Map.of("type", "xml"),
                "authorization", Map.of("type", "oauth"), "headers", 5)))
                .extracting(v -> v.path())
                .containsExactlyInAnyOrder("/method", "/url", "/body/type", "/authorization/type", "/headers");
        assertThat(node.validate(config("url", "{{#start.url#}}"))).isEmpty();
        assertThat(node.validate(config())).isEmpty();
    }
}
