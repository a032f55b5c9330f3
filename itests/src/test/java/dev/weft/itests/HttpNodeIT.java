package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.workflow.RunStatus;
import dev.weft.platform.engine.DslImport;
import dev.weft.platform.engine.DslService;
import dev.weft.platform.engine.RunRequest;
import dev.weft.platform.engine.RunResult;
import dev.weft.platform.engine.WorkflowEngine;
import dev.weft.platform.store.WorkspaceRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The http-request node in the distribution's bundles, through the platform's egress guard, against
 * an HTTP server on loopback that the operator allowed, and a canary port that nobody allowed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HttpNodeIT {

    private static final String DSL = """
            app: {mode: workflow, name: http test}
            kind: app
            version: 0.1.5
            workflow:
              graph:
                nodes:
                - id: start
                  data:
                    type: start
                    title: Start
                    variables:
                    - {variable: url, label: url, type: text-input, required: true}
                    - {variable: name, label: name, type: text-input, required: false}
                - id: http
                  data:
                    type: http-request
                    title: HTTP
                    method: post
                    url: '{{#start.url#}}'
                    params: 'lang:en'
                    headers: 'X-Run: {{#sys.workflow_run_id#}}'
                    authorization: {type: api-key, config: {type: bearer, api_key: '{{#env.TOKEN#}}'}}
                    body: {type: json, data: [{type: text, value: '{"name": "{{#start.name#}}"}'}]}
                    timeout: {connect: 5, read: 5, write: 5}
                - id: end
                  data:
                    type: end
                    title: End
                    outputs:
                    - {variable: status, value_selector: [http, status_code]}
                    - {variable: body, value_selector: [http, body]}
                    - {variable: type, value_selector: [http, headers, content-type]}
                edges:
                - {id: e1, source: start, target: http, sourceHandle: source, targetHandle: target}
                - {id: e2, source: http, target: end, sourceHandle: source, targetHandle: target}
              environment_variables:
              - {name: TOKEN, value_type: secret, value: tok-123}
            """;

    @Inject
    DslService dsl;

    @Inject
    WorkflowEngine engine;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    ConfigurationAdmin configurations;

    @Inject
    dev.weft.platform.store.RunRepository runs;

    private ServerSocket server;
    private ServerSocket canary;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger canaryConnections = new AtomicInteger();

    @Configuration
    public Option[] config() {
        return WeftOptions.platform();
    }

    @Before
    public void startServers() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        canary = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::serve);
        Thread.ofVirtual().start(() -> {
            while (!canary.isClosed()) {
                try (Socket s = canary.accept()) {
                    canaryConnections.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
        Configs.allowEgressTo(configurations, server.getLocalPort());
    }

    @After
    public void stopServers() throws IOException {
        server.close();
        canary.close();
        assertThat(canaryConnections).as("connections the canary accepted").hasValue(0);
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> {
                    try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                        String head = readHead(in);
                        int length = 0;
                        for (String line : head.split("\r\n")) {
                            if (line.toLowerCase().startsWith("content-length:")) {
                                length = Integer.parseInt(line.substring(15).trim());
                            }
                        }
                        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                        requests.add(head + "\r\n\r\n" + body);
                        String reply = "{\"received\": " + body + "}";
                        byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                        out.write(bytes);
                    } catch (IOException e) {
                        // the client went away
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                return head.substring(0, head.length() - 4);
            }
        }
        return head.toString();
    }

    private RunResult run(String url) throws Exception {
        DslImport imported = Await.until("the http-request node type", Duration.ofSeconds(20), () -> {
            DslImport attempt = dsl.read(DSL.getBytes(StandardCharsets.UTF_8));
            return attempt.imported() && attempt.warnings().isEmpty() ? attempt : null;
        });
        return engine.start(new RunRequest(workspaces.defaultWorkspace().id(), UUID.randomUUID().toString(), imported.app(),
                Map.of("url", url, "name", "Ada"), "itest", null, List.of(), null, Map.of()), event -> { })
                .result().get(60, TimeUnit.SECONDS);
    }

    @Test
    public void the_node_calls_an_allowed_server_through_the_guard() throws Exception {
        String url = "http://127.0.0.1:" + server.getLocalPort() + "/hook";
        RunResult result = Await.until("the egress configuration", Duration.ofSeconds(20), () -> {
            try {
                RunResult attempt = run(url);
                return attempt.status() == RunStatus.SUCCEEDED ? attempt : null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(result.outputs()).containsEntry("status", 200).containsEntry("type", "application/json")
                .containsEntry("body", "{\"received\": {\"name\": \"Ada\"}}");
        String request = requests.get(requests.size() - 1);
        assertThat(request).startsWith("POST /hook?lang=en HTTP/1.1").contains("Authorization: Bearer tok-123")
                .contains("Content-Type: application/json").contains("X-Run: " + result.runId());
        // the secret went to the server, and nowhere else: not into the run's records
        String workspace = workspaces.defaultWorkspace().id();
        var executions = Await.until("the run recorded", Duration.ofSeconds(10), () -> {
            var recorded = runs.executions(workspace, result.runId());
            return recorded.size() == 3 ? recorded : null;
        });
        assertThat(executions.toString()).contains("http-request").doesNotContain("tok-123");
        assertThat(runs.find(workspace, result.runId()).orElseThrow().toString()).doesNotContain("tok-123");
    }

    @Test
    public void a_target_nobody_allowed_fails_the_run_without_a_connection() throws Exception {
        for (String url : List.of("http://127.0.0.1:" + canary.getLocalPort() + "/", "http://localhost:" + canary.getLocalPort() + "/",
                "http://169.254.169.254/latest/meta-data/", "file:///etc/hostname", "http://[::ffff:127.0.0.1]:" + canary.getLocalPort() + "/")) {
            RunResult result = run(url);
            assertThat(result.status()).as(url).isEqualTo(RunStatus.FAILED);
            assertThat(result.error()).as(url).containsAnyOf("egress blocked", "url should start with http");
        }
    }
}
