package dev.weft.bench;

import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelRuntime;
import dev.weft.platform.egress.internal.BenchEgress;
import dev.weft.platform.models.internal.BenchRuntime;
import dev.weft.provider.openai.internal.OpenAiProvider;
import dev.weft.provider.testing.FakeOpenAiServer;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the model runtime adds to a model call. The same chat request goes to the fake
 * OpenAI-compatible server on loopback three ways: directly with the JDK's HTTP client; directly with
 * the egress guard's client (the same transport the runtime uses); and through the runtime (routing,
 * retries, the openai provider's JSON, the egress guard). Each runs at concurrency 1 and 64 after a
 * warm-up. "added" is the runtime against the same transport called directly: what the runtime
 * itself costs a call.
 *
 * <pre>java ... dev.weft.bench.ModelsBench [calls per round, default 4000]</pre>
 */
public final class ModelsBench {

    private ModelsBench() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        try (FakeOpenAiServer fake = new FakeOpenAiServer()) {
            String body = "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello?\"}]}";
            HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/chat/completions"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer bench")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            Callable<Void> directCall = () -> {
                HttpResponse<byte[]> response = direct.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("status " + response.statusCode());
                }
                return null;
            };
            dev.weft.api.http.OutboundHttp egress = BenchEgress.allowing("127.0.0.1", fake.port());
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Callable<Void> egressCall = () -> {
                dev.weft.api.http.HttpResponse response = egress.send(dev.weft.api.http.HttpRequest
                        .newBuilder("POST", fake.baseUrl() + "/chat/completions").header("Content-Type", "application/json")
                        .header("Authorization", "Bearer bench").body(bytes).build());
                if (response.status() != 200) {
                    throw new IllegalStateException("status " + response.status());
                }
                return null;
            };
            ModelRuntime runtime = BenchRuntime.with(new OpenAiProvider(BenchEgress.allowing("127.0.0.1", fake.port())),
                    Map.of("OPENAI_API_KEY", "bench", "OPENAI_BASE_URL", fake.baseUrl()));
            ChatRequest chat = ChatRequest.of(List.of(ChatMessage.User.of("Hello?")));
            ModelCall call = new ModelCall("bench", "openai", "bench", null, null);
            Callable<Void> runtimeCall = () -> {
                runtime.chat(call, chat);
                return null;
            };
            // warm both paths up (JIT, connection pools)
            for (Callable<Void> path : List.of(directCall, egressCall, runtimeCall)) {
                measure(path, 1, calls / 2);
                measure(path, 64, calls / 2);
            }
            StringBuilder summary = new StringBuilder("models_bench:");
            for (int concurrency : new int[] {1, 64}) {
                double[] d = measure(directCall, concurrency, calls);
                double[] e = measure(egressCall, concurrency, calls);
                double[] r = measure(runtimeCall, concurrency, calls);
                System.out.println(String.format(Locale.ROOT, "concurrency %d, %d calls: direct (JDK client) p50 %.3f ms"
                        + " p99 %.3f ms; direct (egress client) p50 %.3f ms p99 %.3f ms; runtime p50 %.3f ms p99 %.3f ms",
                        concurrency, calls, d[0], d[1], e[0], e[1], r[0], r[1]));
                summary.append(String.format(Locale.ROOT, " c%d_added_p50_ms=%.3f c%d_added_p99_ms=%.3f c%d_runtime_p50_ms=%.3f"
                        + " c%d_jdk_direct_p50_ms=%.3f", concurrency, r[0] - e[0], concurrency, r[1] - e[1], concurrency, r[0],
                        concurrency, d[0]));
            }
            System.out.println(summary);
        }
    }

    /** Runs the calls at the concurrency and returns p50 and p99 of their latencies, in milliseconds. */
    static double[] measure(Callable<Void> call, int concurrency, int calls) throws Exception {
        long[] latencies = new long[calls];
        int[] next = {0};
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(threads.submit(() -> {
                    while (true) {
                        int i;
                        synchronized (next) {
                            if (next[0] >= calls) {
                                return null;
                            }
                            i = next[0]++;
                        }
                        long started = System.nanoTime();
                        call.call();
                        latencies[i] = System.nanoTime() - started;
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        Arrays.sort(latencies);
        return new double[] {latencies[calls / 2] / 1e6, latencies[(int) Math.min(calls - 1, Math.ceil(calls * 0.99) - 1)] / 1e6};
    }

}
