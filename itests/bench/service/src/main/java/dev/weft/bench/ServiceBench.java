package dev.weft.bench;

import static dev.weft.bench.Measures.cpu;
import static dev.weft.bench.Measures.num;
import static dev.weft.bench.Measures.percentile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.bench.Measures.Result;
import dev.weft.bench.Measures.Sample;
import dev.weft.provider.testing.FakeOpenAiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;


/**
 * Load on the service API of the unpacked distribution, as a Dify client sends it.
 *
 * <p>It starts a fake OpenAI-compatible model on loopback that answers after a latency (200 ms), and
 * {@code bin/weft} on a fresh temporary home whose egress guard allows the fake; sets the server up
 * over HTTP like a user (owner, login, the openai provider's credentials pointing at the fake, two
 * imported and published apps with a key each); then drives, each for a warm-up and a measured
 * window:
 *
 * <ol>
 *   <li>{@code chat_stream}: streaming {@code POST /v1/chat-messages} of a chat app, by 64 workers.
 *       Each request is one model call, so the best possible rate is 64 / latency (320/s at
 *       200 ms): the line says how close the server comes ({@code target_rps}).
 *   <li>{@code workflow_blocking}: blocking {@code POST /v1/workflows/run} of a logic-only workflow
 *       (start, template, if-else, two ends) by 16 workers: what a run costs the server.
 * </ol>
 *
 * <p>A request succeeds when it answers 200 and its content is the expected one (the fake's whole
 * answer then {@code message_end}; a {@code succeeded} run with the expected greeting). Workers are
 * closed loops (one request at a time each, each on its own kept-alive connection:
 * {@link LoadConnection}); latency is from sending the request to having read the whole body. Requests that start in the measured window make the latencies, the error count
 * and {@code requests}; rps is the successful requests that end within the window, per second of
 * it. After each load the app's stored runs ({@code GET /v1/workflows/logs}, {@code total}) must
 * equal every request sent, warm-up included.
 *
 * <pre>java ... dev.weft.bench.ServiceBench [--dist dir] [--seconds 20] [--warmup 20] [--keep]
 *     [--chat-concurrency 64] [--workflow-concurrency 16] [--latency-ms 200] [--only chat|workflow]</pre>
 *
 * The last line printed is the summary:
 * {@code service_bench: chat_rps=.. chat_p50_ms=.. chat_p99_ms=.. chat_errors=.. workflow_rps=..
 * workflow_p50_ms=.. workflow_p99_ms=.. workflow_errors=.. runs_match=true|false}.
 */
public final class ServiceBench {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String EMAIL = "bench@weft.dev";
    static final String PASSWORD = "bench-pass-2024";

    static final String CHAT_DSL = """
            app: {mode: chat, name: Bench chat}
            kind: app
            version: 0.1.5
            model_config:
              model: {provider: openai, name: fake-chat, mode: chat, completion_params: {temperature: 0}}
              pre_prompt: You are brief.
              prompt_type: simple
              user_input_form: []
            """;

    static final String WORKFLOW_DSL = """
            version: 0.6.0
            kind: app
            app: {name: Bench workflow, mode: workflow}
            workflow:
              graph:
                nodes:
                - {id: start, data: {type: start, title: Start, variables: [{variable: name, label: Name, type: text-input, required: true}]}}
                - {id: tpl, data: {type: template-transform, title: Greet, template: 'Hello, {{ name }}!', variables: [{variable: name, value_selector: [start, name]}]}}
                - {id: check, data: {type: if-else, title: Mentions Weft, cases: [{case_id: 'true', logical_operator: and, conditions: [{id: c1, variable_selector: [tpl, output], comparison_operator: contains, value: Weft}]}]}}
                - {id: end_weft, data: {type: end, title: Weft, outputs: [{variable: greeting, value_selector: [tpl, output]}]}}
                - {id: end_other, data: {type: end, title: Other, outputs: [{variable: greeting, value_selector: [tpl, output]}]}}
                edges:
                - {id: start-tpl, source: start, sourceHandle: source, target: tpl, targetHandle: target}
                - {id: tpl-check, source: tpl, sourceHandle: source, target: check, targetHandle: target}
                - {id: check-weft, source: check, sourceHandle: 'true', target: end_weft, targetHandle: target}
                - {id: check-other, source: check, sourceHandle: 'false', target: end_other, targetHandle: target}
            """;

    private ServiceBench() {
    }

    /** The command line. */
    record Options(Path dist, int seconds, int warmup, boolean keep, int chatConcurrency, int workflowConcurrency,
            int latencyMs, String only) {

        static Options parse(String[] args) {
            Path dist = null;
            int seconds = 20;
            int warmup = 20;
            boolean keep = false;
            int chat = 64;
            int workflow = 16;
            int latency = 200;
            String only = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--dist" -> dist = Path.of(value(args, ++i, arg));
                    case "--seconds" -> seconds = positive(value(args, ++i, arg), arg);
                    case "--warmup" -> warmup = Integer.parseInt(value(args, ++i, arg));
                    case "--keep" -> keep = true;
                    case "--chat-concurrency" -> chat = positive(value(args, ++i, arg), arg);
                    case "--workflow-concurrency" -> workflow = positive(value(args, ++i, arg), arg);
                    case "--latency-ms" -> latency = Integer.parseInt(value(args, ++i, arg));
                    case "--only" -> {
                        only = value(args, ++i, arg);
                        if (!only.equals("chat") && !only.equals("workflow")) {
                            throw new IllegalArgumentException("--only takes chat or workflow");
                        }
                    }
                    case "-h", "--help" -> throw new IllegalArgumentException("usage");
                    default -> throw new IllegalArgumentException("unknown option: " + arg);
                }
            }
            if (warmup < 0 || latency < 0) {
                throw new IllegalArgumentException("--warmup and --latency-ms must be zero or more");
            }
            return new Options(dist, seconds, warmup, keep, chat, workflow, latency, only);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int positive(String text, String option) {
            int n = Integer.parseInt(text);
            if (n <= 0) {
                throw new IllegalArgumentException(option + " must be positive");
            }
            return n;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().equals("usage")) {
                System.err.println("bench: " + e.getMessage());
            }
            System.err.println("usage: service.sh [--dist <unpacked distribution>] [--seconds 20] [--warmup 20] [--keep]"
                    + " [--chat-concurrency 64] [--workflow-concurrency 16] [--latency-ms 200] [--only chat|workflow]");
            System.exit(2);
            return;
        }
        Path dist = distribution(options.dist());
        if (dist == null) {
            System.err.println("bench: no unpacked distribution at "
                    + (options.dist() != null ? options.dist() : Path.of("distribution/target/weft-<version>").toAbsolutePath())
                    + " (a folder with bin/weft and bundles/): build it first with mvn -DskipTests install"
                    + " (from the project root), or name one with --dist");
            System.exit(2);
            return;
        }
        int status;
        try {
            status = new ServiceBench.Run(options, dist).call();
        } catch (Exception e) {
            System.err.println("bench: failed: " + e.getMessage()
                    + (options.keep() ? "" : "\nbench: run again with --keep to keep the server's home and log"));
            status = 1;
        }
        System.exit(status);
    }

    /** The distribution folder: the one given, or distribution/target/weft-* under the working folder. */
    static Path distribution(Path given) throws IOException {
        if (given != null) {
            return isDistribution(given) ? given.toAbsolutePath().normalize() : null;
        }
        Path target = Path.of("distribution", "target");
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (Stream<Path> children = Files.list(target)) {
            return children.filter(p -> p.getFileName().toString().startsWith("weft-")).filter(ServiceBench::isDistribution)
                    .map(p -> p.toAbsolutePath().normalize()).findFirst().orElse(null);
        }
    }

    static boolean isDistribution(Path folder) {
        return Files.isExecutable(folder.resolve("bin/weft")) && Files.isDirectory(folder.resolve("bundles"))
                && Files.isRegularFile(folder.resolve("lib/weft-launcher.jar"));
    }

    /** One whole benchmark: server up, set up, the loads, server down. */
    static final class Run {

        private final Options options;
        private final Path dist;
        private Path home;
        private Process server;
        private FakeOpenAiServer fake;
        private SetupHttp http;

        Run(Options options, Path dist) {
            this.options = options;
            this.dist = dist;
        }

        int call() throws Exception {
            Thread stopper = new Thread(this::stopServer, "service-bench-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                return bench();
            } finally {
                stopServer();
                try {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                } catch (IllegalStateException e) {
                    // already shutting down
                }
                if (fake != null) {
                    fake.close();
                }
                if (home != null) {
                    if (options.keep()) {
                        System.out.println("bench: kept the home " + home + " (server log: " + home.resolve("weft.out") + ")");
                    } else {
                        deleteTree(home);
                    }
                }
            }
        }

        private int bench() throws Exception {
            fake = new FakeOpenAiServer().latency(Duration.ofMillis(options.latencyMs()));
            home = Files.createTempDirectory("weft-service-bench-");
            Files.createDirectories(home.resolve("conf"));
            Files.writeString(home.resolve("conf/dev.weft.egress.cfg"), "allow=127.0.0.1:" + fake.port() + "\n");
            int port = freePort();
            http = new SetupHttp("http://127.0.0.1:" + port);
            start(port);
            System.out.println("bench: weft " + dist.getFileName() + " on port " + port + ", home " + home + ", fake model "
                    + fake.baseUrl() + " with " + options.latencyMs() + " ms latency; " + options.warmup()
                    + " s warm-up, " + options.seconds() + " s measured per load");

            setUp();
            String chatKey = app(CHAT_DSL)[1];
            String[] workflowApp = app(WORKFLOW_DSL);

            Result chat = null;
            Result workflow = null;
            if (!"workflow".equals(options.only())) {
                chat = chatLoad(chatKey);
            }
            if (!"chat".equals(options.only())) {
                workflow = workflowLoad(workflowApp[0], workflowApp[1]);
            }
            serverLog();
            boolean match = (chat == null || chat.runsMatch()) && (workflow == null || workflow.runsMatch());
            System.out.println(String.format(Locale.ROOT,
                    "service_bench: chat_rps=%s chat_p50_ms=%s chat_p99_ms=%s chat_errors=%s workflow_rps=%s"
                            + " workflow_p50_ms=%s workflow_p99_ms=%s workflow_errors=%s runs_match=%s",
                    chat == null ? "-" : num(chat.rps()), chat == null ? "-" : num(chat.p50()),
                    chat == null ? "-" : num(chat.p99()), chat == null ? "-" : chat.errors(),
                    workflow == null ? "-" : num(workflow.rps()), workflow == null ? "-" : num(workflow.p50()),
                    workflow == null ? "-" : num(workflow.p99()), workflow == null ? "-" : workflow.errors(), match));
            return 0;
        }

        /** Starts bin/weft and waits for GET /api/health to answer 200. */
        private void start(int port) throws Exception {
            ProcessBuilder builder = new ProcessBuilder(dist.resolve("bin/weft").toString());
            builder.environment().put("WEFT_HOME", home.toString());
            builder.environment().put("WEFT_HTTP_PORT", String.valueOf(port));
            String javaHome = System.getenv("JAVA_HOME");
            builder.environment().put("JAVA_HOME", javaHome != null && !javaHome.isBlank() ? javaHome
                    : System.getProperty("java.home"));
            builder.redirectErrorStream(true).redirectOutput(home.resolve("weft.out").toFile());
            long started = System.nanoTime();
            server = builder.start();
            long deadline = started + TimeUnit.SECONDS.toNanos(90);
            while (true) {
                if (!server.isAlive()) {
                    throw new IllegalStateException("weft exited with " + server.exitValue() + " before it was healthy:\n"
                            + tail(home.resolve("weft.out"), 30));
                }
                try {
                    if (http.send("GET", "/api/health", null, Map.of()).status() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("weft not healthy after 90 s:\n" + tail(home.resolve("weft.out"), 30));
                }
                Thread.sleep(100);
            }
            System.out.println("bench: healthy after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
        }

        /** The owner, a console session, and the openai provider pointing at the fake. */
        private void setUp() throws Exception {
            SetupHttp.Answer state = http.expect(200, "GET", "/console/api/auth/setup", null);
            if (state.json().path("step").asText().equals("not_started")) {
                http.expect(201, "POST", "/console/api/auth/setup",
                        Map.of("email", EMAIL, "name", "Bench", "password", PASSWORD));
            }
            SetupHttp.Answer login = http.expect(200, "POST", "/console/api/auth/login", Map.of("email", EMAIL, "password", PASSWORD));
            String session = login.cookie("weft_session");
            String csrf = login.json().path("data").path("csrf_token").asText(null);
            if (session == null || csrf == null) {
                throw new IllegalStateException("login answered no weft_session cookie or no data.csrf_token: " + login);
            }
            http.console(session, csrf);
            http.expect(200, "POST", "/console/api/workspaces/current/model-providers/openai/credentials",
                    Map.of("credentials", Map.of("api_key", "sk-bench", "base_url", fake.baseUrl())));
        }

        /** Imports, publishes and keys an app; answers its id and key. */
        private String[] app(String dsl) throws Exception {
            JsonNode imported = http.expect(200, "POST", "/console/api/apps/imports",
                    Map.of("mode", "yaml-content", "yaml_content", dsl)).json();
            String appId = imported.path("app_id").asText(null);
            if (appId == null) {
                throw new IllegalStateException("the import answered no app_id: " + imported);
            }
            if (!imported.path("issues").isEmpty()) {
                System.out.println("bench: import of " + imported.path("app_mode").asText() + " app: " + imported.path("issues"));
            }
            http.expect(200, "POST", "/console/api/apps/" + appId + "/publish", Map.of());
            String key = http.expect(201, "POST", "/console/api/apps/" + appId + "/api-keys", Map.of()).json()
                    .path("token").asText(null);
            if (key == null || !key.startsWith("app-")) {
                throw new IllegalStateException("no app key for " + appId);
            }
            return new String[] {appId, key};
        }

        private Result chatLoad(String key) throws Exception {
            String expected = FakeOpenAiServer.DEFAULT_ANSWER;
            long modelCallsBefore = modelCalls();
            Result result = load("chat_stream", options.chatConcurrency(), key, "/v1/chat-messages",
                    (worker, i) -> Map.of("query", "Hello", "inputs", Map.of(), "user", "bench-" + worker,
                            "response_mode", "streaming"),
                    (worker, i, response) -> Checks.stream(response, expected));
            // with no latency there is no ceiling to compare with
            double target = options.latencyMs() == 0 ? Double.NaN : options.chatConcurrency() * 1000.0 / options.latencyMs();
            long modelCalls = modelCalls() - modelCallsBefore;
            System.out.println(result.line() + String.format(Locale.ROOT, " target_rps=%s target_met=%s model_calls=%d",
                    num(target), result.errors() == 0 && result.rps() >= 0.9 * target && result.runsMatch(), modelCalls));
            return result;
        }

        private Result workflowLoad(String appId, String key) throws Exception {
            Result result = load("workflow_blocking", options.workflowConcurrency(), key, "/v1/workflows/run",
                    (worker, i) -> Map.of("inputs", Map.of("name", name(worker, i)), "user", "bench-" + worker,
                            "response_mode", "blocking"),
                    (worker, i, response) -> Checks.run(response, "Hello, " + name(worker, i) + "!"));
            System.out.println(result.line() + " target_met="
                    + (result.errors() == 0 && result.rps() >= 1500 && result.p99() < 50 && result.runsMatch())
                    + " branches_ok=" + branches(appId, key));
            return result;
        }

        /**
         * Whether the latest runs took the if-else branch their input asks for: "Weft" names end at
         * end_weft, the others at end_other (from the console's node executions of up to 20 runs).
         */
        private boolean branches(String appId, String key) throws Exception {
            JsonNode logs = http.expect(200, "GET", "/v1/workflows/logs?limit=20", null, Map.of("Authorization", "Bearer " + key))
                    .json().path("data");
            boolean weft = false;
            boolean other = false;
            for (JsonNode item : logs) {
                JsonNode run = item.path("workflow_run");
                boolean mentions = run.path("inputs").path("name").asText().contains("Weft");
                String expectedEnd = mentions ? "end_weft" : "end_other";
                List<String> ended = new ArrayList<>();
                for (JsonNode execution : http.expect(200, "GET", "/console/api/apps/" + appId + "/workflow-runs/"
                        + run.path("id").asText() + "/node-executions", null).json().path("data")) {
                    if (execution.path("node_type").asText().equals("end")) {
                        ended.add(execution.path("node_id").asText());
                    }
                }
                if (!ended.equals(List.of(expectedEnd))) {
                    System.err.println("workflow_blocking: run " + run.path("id").asText() + " of " + run.path("inputs")
                            + " ended at " + ended + ", not " + expectedEnd);
                    return false;
                }
                weft |= mentions;
                other |= !mentions;
            }
            return weft && other;
        }

        /** Alternates the if-else's branches: "Weft n" takes the true branch, "Loom n" the false one. */
        private static String name(int worker, long i) {
            return ((worker + i) % 2 == 0 ? "Weft " : "Loom ") + i;
        }

        private long modelCalls() {
            return fake.requests().stream().filter(r -> r.path().endsWith("/chat/completions")).count();
        }

        /** The request body of a worker's i-th request. */
        interface Body {
            Map<String, Object> of(int worker, long i);
        }

        /** Null when the response is right, or what is wrong with it. */
        interface Check {
            String problem(int worker, long i, LoadConnection.Reply response);
        }

        /** Closed-loop workers for the warm-up and the measured window; then the stored runs. */
        private Result load(String name, int concurrency, String key, String path, Body body, Check check) throws Exception {
            URI uri = URI.create(http.base() + path);
            long begin = System.nanoTime();
            long windowStart = begin + TimeUnit.SECONDS.toNanos(options.warmup());
            long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(options.seconds());
            // the CPU both processes use in the measured window
            Duration[] cpuAtWindow = new Duration[2];
            Thread cpuSampler = Thread.ofVirtual().start(() -> {
                try {
                    TimeUnit.NANOSECONDS.sleep(windowStart - System.nanoTime());
                } catch (InterruptedException e) {
                    return;
                }
                cpuAtWindow[0] = cpu(server.toHandle());
                cpuAtWindow[1] = cpu(ProcessHandle.current());
            });
            AtomicLong sent = new AtomicLong();
            Map<String, AtomicLong> problems = new ConcurrentHashMap<>();
            List<Sample>[] samples = newLists(concurrency);
            try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int w = 0; w < concurrency; w++) {
                    int worker = w;
                    workers.submit(() -> {
                        try (LoadConnection connection = new LoadConnection(uri.getHost(), uri.getPort(), 60_000)) {
                            for (long i = 0; System.nanoTime() < windowEnd; i++) {
                                byte[] json = JSON.writeValueAsBytes(body.of(worker, i));
                                long start = System.nanoTime();
                                String problem;
                                sent.incrementAndGet();
                                try {
                                    LoadConnection.Reply response = connection.post(uri.getRawPath(), "Bearer " + key, json);
                                    problem = response.status() != 200
                                            ? "HTTP " + response.status() + " " + shorten(response.body())
                                            : check.problem(worker, i, response);
                                } catch (IOException | RuntimeException e) {
                                    problem = e.getClass().getSimpleName() + ": " + e.getMessage();
                                }
                                long end = System.nanoTime();
                                if (problem != null) {
                                    problems.computeIfAbsent(problem, p -> new AtomicLong()).incrementAndGet();
                                }
                                samples[worker].add(new Sample(start, end, problem == null));
                            }
                        }
                        return null;
                    });
                }
            }
            Duration serverCpuAfter = cpu(server.toHandle());
            Duration benchCpuAfter = cpu(ProcessHandle.current());
            cpuSampler.join();
            List<Sample> all = new ArrayList<>();
            for (List<Sample> list : samples) {
                all.addAll(list);
            }
            List<Sample> measured = all.stream().filter(s -> s.start() >= windowStart).toList();
            // closed loops in a steady state: the requests that end well within the window, per second
            long completed = all.stream().filter(s -> s.ok() && s.end() >= windowStart && s.end() < windowEnd).count();
            double rps = completed / ((windowEnd - windowStart) / 1e9);
            double[] millis = measured.stream().mapToDouble(s -> (s.end() - s.start()) / 1e6).sorted().toArray();
            long errors = measured.stream().filter(s -> !s.ok()).count();
            problems.entrySet().stream().sorted(Comparator.comparing(e -> -e.getValue().get())).limit(5)
                    .forEach(e -> System.err.println(name + ": " + e.getValue().get() + " x " + e.getKey()));
            long stored = storedRuns(key, sent.get());
            return new Result(name, rps, percentile(millis, 50), percentile(millis, 99), errors, measured.size(), sent.get(),
                    stored, serverCpuAfter.minus(cpuAtWindow[0]).toNanos() / 1e6 / Math.max(1, measured.size()),
                    benchCpuAfter.minus(cpuAtWindow[1]).toNanos() / 1e6 / Math.max(1, measured.size()));
        }

        @SuppressWarnings("unchecked")
        private static List<Sample>[] newLists(int n) {
            List<Sample>[] lists = new List[n];
            for (int i = 0; i < n; i++) {
                lists[i] = new ArrayList<>();
            }
            return lists;
        }

        /**
         * The app's runs started through the service API ({@code total} of its logs), once none is
         * running and they number at least those sent, or after 10 s.
         */
        private long storedRuns(String key, long sent) throws Exception {
            Map<String, String> auth = Map.of("Authorization", "Bearer " + key);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                long total = http.expect(200, "GET", "/v1/workflows/logs?limit=1", null, auth).json().path("total").asLong(-1);
                long running = http.expect(200, "GET", "/v1/workflows/logs?limit=1&status=running", null, auth).json()
                        .path("total").asLong(-1);
                if ((total >= sent && running == 0) || System.nanoTime() > deadline) {
                    if (running != 0) {
                        System.err.println("bench: " + running + " run(s) still running after 10 s");
                    }
                    return total;
                }
                Thread.sleep(200);
            }
        }

        private void serverLog() throws IOException {
            Path log = home.resolve("weft.out");
            if (!Files.exists(log)) {
                return;
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> errors = lines.stream().filter(l -> l.contains(" ERROR ") || l.contains("Exception")).toList();
            long warnings = lines.stream().filter(l -> l.contains(" WARN ")).count();
            System.out.println("bench: server log " + lines.size() + " lines, " + warnings + " warnings, " + errors.size()
                    + " error or exception lines" + (options.keep() ? " (" + log + ")" : ""));
            errors.stream().limit(5).forEach(l -> System.err.println("bench: server: " + shorten(l)));
        }

        /** Stops the server (SIGTERM, then kill after 30 s) and what it started. */
        private synchronized void stopServer() {
            if (server == null) {
                return;
            }
            List<ProcessHandle> children = server.descendants().toList();
            server.destroy();
            try {
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    System.err.println("bench: weft did not stop within 30 s of SIGTERM; killing it");
                    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                for (ProcessHandle child : children) {
                    if (child.isAlive()) {
                        child.onExit().get(10, TimeUnit.SECONDS);
                    }
                }
            } catch (Exception e) {
                children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            }
            server = null;
        }
    }

    static String shorten(String text) {
        String flat = text == null ? "" : text.replace('\n', ' ');
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("bench: could not delete " + root + ": " + e.getMessage());
        }
    }
}
