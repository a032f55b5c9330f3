package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.provider.testing.FakeOpenAiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official npm clients against the distribution as a user runs it: Dify's {@code dify-client}
 * (chat blocking and streamed, completion, workflow runs, conversations, feedback, file upload) on
 * the service API {@code /v1}, and OpenAI's {@code openai} on {@code /v1/openai}. The apps run on
 * the fake OpenAI-compatible model server on loopback; the tests themselves are JavaScript, in
 * {@code src/test/node}, run with Node's test runner ({@code npm ci --prefix itests/src/test/node}
 * installs the clients first; {@code .ci/run} does).
 */
class ServiceClientsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL_KEY = "sk-service-clients-0123456789";
    /** What the fake model says to every chat completion. */
    private static final String ANSWER = "Weft answers through the fake model.";
    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(3);

    static final String CHAT = """
            app: {mode: chat, name: Client Chat, description: the chat app of the npm client tests}
            kind: app
            version: 0.1.5
            model_config:
              model: {provider: openai, name: fake-chat, mode: chat, completion_params: {temperature: 0.1}}
              prompt_type: simple
              pre_prompt: You are the Weft test assistant.
              opening_statement: Hello from Weft.
              suggested_questions: []
              user_input_form: []
              file_upload:
                image: {enabled: false, number_limits: 3, transfer_methods: [local_file, remote_url]}
            """;

    static final String COMPLETION = """
            app: {mode: completion, name: Client Completion}
            kind: app
            version: 0.1.5
            model_config:
              model: {provider: openai, name: fake-chat, mode: chat, completion_params: {temperature: 0.1}}
              prompt_type: simple
              pre_prompt: 'Write one sentence about {{topic}}.'
              user_input_form:
              - text-input: {label: Topic, variable: topic, required: true, max_length: 48, default: ''}
            """;

    static final String WORKFLOW = """
            app: {mode: workflow, name: Client Workflow}
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
                    - {variable: name, label: name, type: text-input, required: true}
                - id: greet
                  data:
                    type: template-transform
                    title: Greet
                    template: 'Hello, {{ name }}!'
                    variables:
                    - {variable: name, value_selector: [start, name]}
                - id: end
                  data:
                    type: end
                    title: End
                    outputs:
                    - {variable: greeting, value_selector: [greet, output]}
                edges:
                - {id: e1, source: start, target: greet, sourceHandle: source, targetHandle: target}
                - {id: e2, source: greet, target: end, sourceHandle: source, targetHandle: target}
            """;

    static final String CHATFLOW = """
            app: {mode: advanced-chat, name: Client Chatflow}
            kind: app
            version: 0.1.5
            workflow:
              graph:
                nodes:
                - {id: start, data: {type: start, title: Start, variables: []}}
                - id: llm
                  data:
                    type: llm
                    title: LLM
                    model: {provider: langgenius/openai/openai, name: fake-chat, mode: chat, completion_params: {temperature: 0.1}}
                    prompt_template: [{role: system, text: You are brief.}]
                    memory: {window: {enabled: true, size: 10}, query_prompt_template: '{{#sys.query#}}'}
                - {id: answer, data: {type: answer, title: Answer, answer: '{{#llm.text#}}'}}
                edges:
                - {id: e1, source: start, target: llm, sourceHandle: source, targetHandle: target}
                - {id: e2, source: llm, target: answer, sourceHandle: source, targetHandle: target}
            """;

    @TempDir
    static Path work;

    static Path tests;
    static FakeOpenAiServer fake;
    static Process server;
    static Http http;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        tests = nodeTests();
        if (!Files.isDirectory(tests.resolve("node_modules/dify-client"))
                || !Files.isDirectory(tests.resolve("node_modules/openai"))) {
            throw new AssertionError("the npm clients are not installed in " + tests.resolve("node_modules")
                    + ": run `npm ci --prefix itests/src/test/node` from the project folder first (.ci/run does)");
        }
        fake = new FakeOpenAiServer().answer(ANSWER);

        Path zip = Path.of(System.getProperty("weft.dist.zip"));
        Path unpacked = Files.createDirectories(work.resolve("unpacked"));
        assertThat(new ProcessBuilder("unzip", "-q", zip.toString(), "-d", unpacked.toString()).inheritIO().start()
                .waitFor()).isZero();
        Path install;
        try (Stream<Path> top = Files.list(unpacked)) {
            install = top.findFirst().orElseThrow();
        }
        port = WeftOptions.freePort();
        http = new Http(port);
        ProcessBuilder weft = new ProcessBuilder(install.resolve("bin/weft").toString());
        weft.environment().put("JAVA_HOME", System.getProperty("java.home"));
        weft.environment().put("WEFT_HOME", work.resolve("home").toString());
        weft.environment().put("WEFT_HTTP_PORT", String.valueOf(port));
        // the operator lets the workspace's model provider reach the fake on loopback
        weft.environment().put("WEFT_EGRESS_ALLOW", "127.0.0.1:" + fake.port());
        // no code runs here: no sandbox worker to warm
        weft.environment().put("WEFT_JAVA_OPTS", "-Dweft.sandbox.prestart=0");
        server = weft.redirectOutput(work.resolve("server.out").toFile()).redirectErrorStream(true).start();
        Await.until("health 200", Duration.ofSeconds(30), () -> {
            Http.Answer health = http.tryGet("/api/health");
            return health != null && health.status() == 200;
        }, ServiceClientsIT::serverLog);
        Await.until("the model API", Duration.ofSeconds(30), () -> {
            Http.Answer providers = http.tryGet("/console/api/workspaces/current/model-providers");
            return providers != null && providers.status() == 200;
        });
        Http.Answer saved = http.post("/console/api/workspaces/current/model-providers/openai/credentials",
                "application/json", JSON.writeValueAsString(Map.of("credentials",
                        Map.of("api_key", MODEL_KEY, "base_url", fake.baseUrl()))));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        if (fake != null) {
            fake.close();
        }
    }

    @Test
    void the_official_dify_and_openai_npm_clients_work_against_the_service_api() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WEFT_BASE_URL", "http://127.0.0.1:" + port);
        env.put("WEFT_FAKE_ANSWER", ANSWER);
        for (Map.Entry<String, String> app : Map.of("CHAT", CHAT, "COMPLETION", COMPLETION, "WORKFLOW", WORKFLOW,
                "CHATFLOW", CHATFLOW).entrySet()) {
            String id = publishedApp(app.getValue());
            env.put("WEFT_" + app.getKey() + "_KEY", apiKey(id));
            env.put("WEFT_" + app.getKey() + "_APP_ID", id);
        }
        env.put("WEFT_CHAT_APP_NAME", "Client Chat");

        Node run = node(env);
        System.out.println(run.output());
        assertThat(run.exitCode()).as("node --test:%n%s%nthe server's log ends:%n%s", run.output(), serverLog())
                .isZero();
        assertThat(count(run.output(), "fail")).as("failed JavaScript tests").isZero();
        assertThat(count(run.output(), "pass")).as("passed JavaScript tests").isGreaterThanOrEqualTo(25);
        assertThat(run.output()).contains("dify-client ChatClient on a chat app")
                .contains("dify-client CompletionClient on a completion app")
                .contains("dify-client CompletionClient.runWorkflow on a workflow app")
                .contains("openai (the official OpenAI SDK) on /v1/openai");

        // what the apps sent the model: the conversation's first turn as history of the second, the
        // completion's input in its prompt, the workspace's key
        List<FakeOpenAiServer.Request> calls = fake.requests().stream()
                .filter(r -> r.path().endsWith("/chat/completions")).toList();
        assertThat(calls).allSatisfy(call -> assertThat(call.header("authorization")).isEqualTo("Bearer " + MODEL_KEY));
        assertThat(calls).extracting(call -> turns(call.json()))
                .as("a chat app call with the first turn as history")
                .anySatisfy(turns -> assertThat(turns).containsSubsequence("system:You are the Weft test assistant.",
                        "user:dify-client first question", "assistant:" + ANSWER, "user:dify-client second question"))
                .as("the OpenAI client's earlier messages as the conversation's history")
                .anySatisfy(turns -> assertThat(turns).containsSubsequence("user:openai first turn",
                        "assistant:an earlier answer", "user:openai second turn"));
        assertThat(calls).extracting(call -> call.json().path("messages").toString())
                .as("the completion app's prompt with its input")
                .anySatisfy(messages -> assertThat(messages).contains("Write one sentence about otters."));
    }

    /** The last lines the server wrote to its console. */
    private static String serverLog() {
        try {
            List<String> lines = Files.readAllLines(work.resolve("server.out"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no server log: " + e + ")";
        }
    }

    /** A number of node's summary ({@code ℹ pass 26}); -1 when there is none. */
    private static int count(String output, String what) {
        Matcher matcher = Pattern.compile("(?m)^\\S* ?" + what + " (\\d+)$").matcher(output);
        int found = -1;
        while (matcher.find()) {
            found = Integer.parseInt(matcher.group(1));
        }
        return found;
    }

    private static List<String> turns(JsonNode request) {
        List<String> turns = new ArrayList<>();
        for (JsonNode message : request.path("messages")) {
            turns.add(message.path("role").asText() + ":" + message.path("content").asText());
        }
        return turns;
    }

    /** The app imported from DSL and published; its id. */
    private static String publishedApp(String yaml) throws IOException {
        Http.Answer imported = http.post("/console/api/apps/imports", "application/json",
                JSON.writeValueAsString(Map.of("mode", "yaml-content", "yaml_content", yaml)));
        assertThat(imported.status()).as(imported.body()).isIn(200, 201);
        String id = imported.json().path("app_id").asText();
        Http.Answer published = http.post("/console/api/apps/" + id + "/publish", "application/json", "{}");
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        return id;
    }

    private static String apiKey(String appId) {
        Http.Answer key = http.post("/console/api/apps/" + appId + "/api-keys", "application/json", "{}");
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        String token = key.json().path("token").asText();
        assertThat(token).startsWith("app-");
        return token;
    }

    record Node(int exitCode, String output) {
    }

    /** Runs the JavaScript tests with Node's test runner; their output, stdout and stderr together. */
    private static Node node(Map<String, String> env) throws IOException, InterruptedException {
        List<String> files;
        try (Stream<Path> listed = Files.list(tests)) {
            files = listed.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".test.mjs")).sorted().toList();
        }
        assertThat(files).as("test files in " + tests).isNotEmpty();
        List<String> command = new ArrayList<>(List.of(nodeBinary(), "--test", "--test-reporter=spec"));
        command.addAll(files);
        Path log = work.resolve("node.out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(tests.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        // loopback only, whatever proxy the build runs behind
        builder.environment().put("NO_PROXY", "127.0.0.1,localhost");
        builder.environment().put("no_proxy", "127.0.0.1,localhost");
        builder.environment().put("NO_COLOR", "1");
        Process process = builder.start();
        if (!process.waitFor(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("node --test did not end within " + NODE_TIMEOUT.toMinutes() + " minutes:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Node(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static String nodeBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "node");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/node"))) {
            return "/usr/bin/node";
        }
        throw new AssertionError("no node on the PATH: the npm client tests need Node.js 20 or newer");
    }

    /** {@code src/test/node} of this module. */
    private static Path nodeTests() {
        String basedir = System.getProperty("basedir");
        Path module = basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath();
        Path folder = module.resolve("src/test/node");
        if (!Files.isDirectory(folder)) {
            throw new UncheckedIOException(new IOException("no JavaScript tests at " + folder));
        }
        return folder;
    }
}
