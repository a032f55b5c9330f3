package dev.weft.platform.models.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelResult;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatModel;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.EmbeddingModel;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ModelInfo;
import dev.weft.spi.model.ModelProvider;
import dev.weft.spi.model.ModelType;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.ProviderDescriptor;
import dev.weft.spi.model.RerankModel;
import dev.weft.spi.model.RetriableModelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Routing, credentials, fallback and retries, against a provider double that records what it was asked. */
class ModelRuntimeServiceTest {

    /** A provider that answers with its configuration, or fails as scripted. */
    static class Recording implements ModelProvider {
        final String id;
        final List<String> calls = new ArrayList<>();
        final Deque<ModelException> failures = new ArrayDeque<>();

        Recording(String id) {
            this.id = id;
        }

        @Override
        public ProviderDescriptor descriptor() {
            return new ProviderDescriptor(id, "1.0.0", id, "", Map.of(), Set.of(ModelType.CHAT));
        }

        @Override
        public List<ModelInfo> models(ProviderConfig config) {
            return List.of();
        }

        @Override
        public void verify(ProviderConfig config) {
        }

        @Override
        public ChatModel chatModel(ProviderConfig config, String model) {
            return new ChatModel() {
                @Override
                public ChatResponse chat(ChatRequest request) throws ModelException {
                    calls.add(model + "@" + config.setting("base_url").orElse("-") + " key="
                            + config.secret("api_key").map(s -> s.reveal()).orElse("-"));
                    if (!failures.isEmpty()) {
                        throw failures.poll();
                    }
                    return new ChatResponse(ChatMessage.Assistant.of("from " + id + "/" + model), null, null, model);
                }

                @Override
                public void stream(ChatRequest request, java.util.function.Consumer<ChatEvent> sink) throws ModelException {
                    ChatResponse whole = chat(request);
                    sink.accept(new ChatEvent.TextDelta(whole.message().text()));
                    if (!failures.isEmpty()) {
                        throw failures.poll();
                    }
                    sink.accept(new ChatEvent.Completed(whole));
                }
            };
        }

        @Override
        public EmbeddingModel embeddingModel(ProviderConfig config, String model) throws ModelException {
            throw new NonRetriableModelException.InvalidRequest("no");
        }

        @Override
        public RerankModel rerankModel(ProviderConfig config, String model) throws ModelException {
            throw new NonRetriableModelException.InvalidRequest("no");
        }
    }

    private final Recording openai = new Recording("openai");
    private final List<Duration> waits = new ArrayList<>();

    private ModelRuntimeService runtime(Map<String, String> env, String defaultProvider, String defaultModel) {
        ModelRuntimeService runtime = new ModelRuntimeService(env);
        runtime.configure(config(defaultProvider, defaultModel), waits::add);
        runtime.addProvider(openai, Map.of());
        return runtime;
    }

    private static ModelRuntimeService.Config config(String provider, String model, String... fallbacks) {
        return new ModelRuntimeService.Config() {
            @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return ModelRuntimeService.Config.class; }
            @Override public String default_provider() { return provider; }
            @Override public String default_model() { return model; }
            @Override public int max_retries() { return 3; }
            @Override public int retry_base_millis() { return 100; }
            @Override public int retry_max_seconds() { return 20; }
            @Override public int provider_wait_seconds() { return 2; }
            @Override public int credential_max_concurrent() { return 0; }
            @Override public int credential_requests_per_minute() { return 0; }
            @Override public int credential_wait_seconds() { return 1; }
            @Override public String[] fallbacks() { return fallbacks; }
        };
    }

    private static ChatRequest hello() {
        return ChatRequest.of(List.of(ChatMessage.User.of("hi")));
    }

    private static ModelCall call(String provider, String model) {
        return new ModelCall("ws", provider, model, "run-1", "llm-1");
    }

    @Test
    void difyProviderIdsReachTheWeftProviderWithTheInstancesCredentials() throws ModelException {
        ModelRuntimeService runtime = runtime(Map.of("OPENAI_API_KEY", "sk-env", "DEEPSEEK_API_KEY", "sk-ds"), "", "");
        assertThat(runtime.chat(call("langgenius/openai/openai", "gpt-4o"), hello()).response().message().text())
                .isEqualTo("from openai/gpt-4o");
        runtime.chat(call("deepseek", "deepseek-chat"), hello());
        assertThat(openai.calls).containsExactly("gpt-4o@- key=sk-env", "deepseek-chat@https://api.deepseek.com/v1 key=sk-ds");
    }

    @Test
    void aProviderWithoutCredentialsFallsBackToTheDefaultModelWithAWarning() throws ModelException {
        ModelRuntimeService runtime = runtime(Map.of("OPENAI_API_KEY", "sk-env"), "", "");
        ModelResult result = runtime.chat(call("langgenius/anthropic/anthropic", "claude-3-opus"), hello());
        assertThat(result.provider()).isEqualTo("openai");
        assertThat(result.model()).isEqualTo("gpt-4o-mini");
        assertThat(result.warnings()).singleElement().asString().contains("anthropic").contains("no credentials");
        ModelResult unknown = runtime.chat(call("someone/strange/vendor", "x"), hello());
        assertThat(unknown.warnings()).singleElement().asString().contains("not one Weft knows");
    }

    @Test
    void aCallWaitsForAProviderBeingReplacedAndUsesTheNewOne() throws Exception {
        ModelRuntimeService runtime = runtime(Map.of("OPENAI_API_KEY", "sk-env"), "", "");
        runtime.removeProvider(openai);
        Recording replacement = new Recording("openai");
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            runtime.addProvider(replacement, Map.of());
        });
        ModelResult result = runtime.chat(call("openai", "gpt-4o"), hello());
        assertThat(result.warnings()).isEmpty();
        assertThat(replacement.calls).containsExactly("gpt-4o@- key=sk-env");
        assertThat(openai.calls).isEmpty();
    }

    @Test
    void aProviderThatNeverCameBackFailsAfterThePatienceRunsOut() {
        ModelRuntimeService runtime = runtime(Map.of("OPENAI_API_KEY", "sk-env"), "", "");
        runtime.removeProvider(openai);
        long started = System.nanoTime();
        assertThatThrownBy(() -> runtime.chat(call("openai", "gpt-4o"), hello()))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("no installed plug-in provides 'openai'");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theKeysOfOneCredentialShareTheCallsAndARefusedKeyHandsItsCallToTheNext() throws ModelException {
        ModelRuntimeService runtime = runtime(Map.of("OPENAI_API_KEY", "sk-a,sk-b"), "", "");
        runtime.chat(call("openai", "m"), hello());
        runtime.chat(call("openai", "m"), hello());
        assertThat(openai.calls).containsExactly("m@- key=sk-a", "m@- key=sk-b");

        openai.calls.clear();
        openai.failures.add(new NonRetriableModelException.AuthenticationFailed("HTTP 401: revoked"));
        ModelResult result = runtime.chat(call("openai", "m"), hello());
        assertThat(result.response().message().text()).isEqualTo("from openai/m");
        runtime.chat(call("openai", "m"), hello());
        // the refused key rests: its call and the next went to the other key, with no backoff
        assertThat(openai.calls).containsExactly("m@- key=sk-a", "m@- key=sk-b", "m@- key=sk-b");
        assertThat(waits).isEmpty();
    }

    @Test
    void aModelThatKeepsFailingHandsTheCallDownItsFallbackChain() throws ModelException {
        Recording anthropic = new Recording("anthropic");
        ModelRuntimeService runtime = new ModelRuntimeService(Map.of("OPENAI_API_KEY", "sk-o", "ANTHROPIC_API_KEY", "sk-ant"));
        runtime.configure(config("", "", "gpt-4o -> anthropic/claude-sonnet-4-5", "* -> openai/gpt-4o-mini"), waits::add);
        runtime.addProvider(openai, Map.of());
        runtime.addProvider(anthropic, Map.of());
        for (int i = 0; i < 4; i++) {
            openai.failures.add(new RetriableModelException.Unavailable("HTTP 503", null));
        }
        ModelResult result = runtime.chat(call("openai", "gpt-4o"), hello());
        assertThat(result.provider()).isEqualTo("anthropic");
        assertThat(result.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(result.warnings()).singleElement().asString().contains("openai/gpt-4o failed (model_unavailable)");
        assertThat(openai.calls).hasSize(4);
        assertThat(anthropic.calls).containsExactly("claude-sonnet-4-5@- key=sk-ant");

        // the request's own fault goes nowhere else
        openai.failures.add(new NonRetriableModelException.InvalidRequest("HTTP 400: bad"));
        assertThatThrownBy(() -> runtime.chat(call("openai", "gpt-4o"), hello()))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class);
        assertThat(anthropic.calls).hasSize(1);

        // the catch-all chain; a stream falls back only while nothing reached the caller
        openai.failures.add(new NonRetriableModelException.ModelNotFound("HTTP 404"));
        List<ChatEvent> events = new ArrayList<>();
        ModelResult streamed = runtime.stream(call("openai", "gpt-3.5"), hello(), events::add);
        assertThat(streamed.model()).isEqualTo("gpt-4o-mini");
        assertThat(events).last().isInstanceOf(ChatEvent.Completed.class);
    }

    @Test
    void aRerankCallGoesToTheNamedModelWithItsCredentialsOrFailsSayingNoneIsSet() throws ModelException {
        Recording rerank = new Recording("rerank") {
            @Override
            public RerankModel rerankModel(ProviderConfig config, String model) {
                return request -> {
                    calls.add(model + "@" + config.setting("base_url").orElse("-") + " key="
                            + config.secret("api_key").map(s -> s.reveal()).orElse("-"));
                    return new dev.weft.spi.model.RerankResponse(List.of(new dev.weft.spi.model.RerankResponse.Hit(1, 0.9)), null);
                };
            }
        };
        ModelRuntimeService runtime = runtime(Map.of("COHERE_API_KEY", "co-key"), "", "");
        runtime.addProvider(rerank, Map.of());
        dev.weft.spi.model.RerankRequest request = new dev.weft.spi.model.RerankRequest("q", List.of("a", "b"), 1);

        var response = runtime.rerank(call("langgenius/cohere/cohere", "rerank-v3.5"), request);
        assertThat(response.hits()).containsExactly(new dev.weft.spi.model.RerankResponse.Hit(1, 0.9));
        assertThat(rerank.calls).containsExactly("rerank-v3.5@https://api.cohere.com/v2 key=co-key");

        assertThatThrownBy(() -> runtime.rerank(call("", ""), request))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("no default rerank model");
        assertThatThrownBy(() -> runtime.rerank(call("jina", "jina-reranker-v2"), request))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("cannot be used");
        // with no embedding model named or set and no local model installed, the call says what is missing
        assertThatThrownBy(() -> runtime.embed(call("", ""), new dev.weft.spi.model.EmbeddingRequest(List.of("x"), null)))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("weft-provider-local");
    }

    @Test
    void withNothingConfiguredTheCallFailsSayingWhatToSet() {
        ModelRuntimeService runtime = runtime(Map.of(), "", "");
        assertThatThrownBy(() -> runtime.chat(call("openai", "gpt-4o"), hello()))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("OPENAI_API_KEY");
    }

    @Test
    void routingAllCallsSendsEveryProviderToOneServer() throws Exception {
        ModelRuntimeService runtime = runtime(Map.of(), "", "");
        try (AutoCloseable route = runtime.routeAllTo("http://127.0.0.1:9/v1", null)) {
            runtime.chat(call("langgenius/anthropic/anthropic", "claude-3-opus"), hello());
            runtime.chat(call("", ""), hello());
        }
        assertThat(openai.calls).containsExactly("claude-3-opus@http://127.0.0.1:9/v1 key=weft", "default@http://127.0.0.1:9/v1 key=weft");
        assertThatThrownBy(() -> runtime.chat(call("openai", "x"), hello())).isInstanceOf(NonRetriableModelException.class);
    }

    @Test
    void failuresThatMayPassAreRetriedWithGrowingDelaysAndRetryAfter() throws ModelException {
        ModelRuntimeService runtime = runtime(Map.of("OPENAI_API_KEY", "k"), "", "");
        openai.failures.add(new RetriableModelException.Unavailable("503", null));
        openai.failures.add(new RetriableModelException.RateLimited("429", Duration.ofSeconds(7)));
        openai.failures.add(new RetriableModelException.Timeout("slow", null));
        ModelResult result = runtime.chat(call("openai", "m"), hello());
        assertThat(result.attempts()).isEqualTo(4);
        assertThat(waits).hasSize(3);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(waits.get(1)).isEqualTo(Duration.ofSeconds(7));
        assertThat(waits.get(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));

        for (int i = 0; i < 4; i++) {
            openai.failures.add(new RetriableModelException.Unavailable("503", null));
        }
        assertThatThrownBy(() -> runtime.chat(call("openai", "m"), hello())).isInstanceOf(RetriableModelException.Unavailable.class);
        openai.failures.clear();
        openai.failures.add(new NonRetriableModelException.AuthenticationFailed("401"));
        int before = openai.calls.size();
        assertThatThrownBy(() -> runtime.chat(call("openai", "m"), hello()))
                .isInstanceOf(NonRetriableModelException.AuthenticationFailed.class);
        assertThat(openai.calls).hasSize(before + 1);
    }

    @Test
    void aStreamIsNotRetriedOnceSomethingReachedTheCaller() {
        List<ChatEvent> events = new ArrayList<>();
        ModelException midStream = new RetriableModelException.Unavailable("the stream broke off", null);
        ModelRuntimeService streaming = new ModelRuntimeService(Map.of("OPENAI_API_KEY", "k"));
        streaming.configure(config("", ""), waits::add);
        streaming.addProvider(new Recording("openai") {
            @Override
            public ChatModel chatModel(ProviderConfig config, String model) {
                return new ChatModel() {
                    @Override
                    public ChatResponse chat(ChatRequest request) {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public void stream(ChatRequest request, java.util.function.Consumer<ChatEvent> sink) throws ModelException {
                        sink.accept(new ChatEvent.TextDelta("partial"));
                        throw midStream;
                    }
                };
            }
        }, Map.of());
        assertThatThrownBy(() -> streaming.stream(call("openai", "m"), hello(), events::add)).isSameAs(midStream);
        assertThat(events).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void embeddingsWithoutANamedModelUseTheLocalOne() throws ModelException {
        ModelRuntimeService runtime = runtime(Map.of(), "", "");
        assertThatThrownBy(() -> runtime.embed(call("", ""), new dev.weft.spi.model.EmbeddingRequest(List.of("x"), null)))
                .hasMessageContaining("weft-provider-local");
        List<String> asked = new ArrayList<>();
        runtime.addProvider(new Recording("local") {
            @Override
            public EmbeddingModel embeddingModel(ProviderConfig config, String model) {
                asked.add(model);
                return request -> new dev.weft.spi.model.EmbeddingResponse(List.of(new float[] {1f}), null);
            }
        }, Map.of());
        assertThat(runtime.embed(call("", ""), new dev.weft.spi.model.EmbeddingRequest(List.of("x"), null)).vectors()).hasSize(1);
        assertThat(asked).containsExactly("bge-small-en-v1.5");
    }
}
