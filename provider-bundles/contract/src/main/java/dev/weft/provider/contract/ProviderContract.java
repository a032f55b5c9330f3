package dev.weft.provider.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.api.core.Secret;
import dev.weft.api.http.OutboundHttp;
import dev.weft.provider.contract.WireServer.Recorded;
import dev.weft.provider.contract.WireServer.Reply;
import dev.weft.provider.testing.LoopbackHttp;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.ContentPart;
import dev.weft.spi.model.EmbeddingRequest;
import dev.weft.spi.model.EmbeddingResponse;
import dev.weft.spi.model.FinishReason;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ModelParameters;
import dev.weft.spi.model.ModelProvider;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import dev.weft.spi.model.RerankRequest;
import dev.weft.spi.model.RerankResponse;
import dev.weft.spi.model.ResponseFormat;
import dev.weft.spi.model.RetriableModelException;
import dev.weft.spi.model.ToolCall;
import dev.weft.spi.model.ToolChoice;
import dev.weft.spi.model.ToolSpec;
import dev.weft.spi.model.Usage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract every model provider passes. A provider's test extends this class and says how its
 * vendor's wire looks: the exact request body for each {@link Case}, and the vendor's own bytes for
 * an answer, a stream and an error. The contract then drives the provider against a
 * {@link WireServer} on loopback and checks what it sent and what it made of the answers: the
 * request JSON compared exactly; text, reasoning, tool calls, finish reason and usage read back;
 * streams delivered piece by piece as they arrive; 400, 401, 404, 429 (with Retry-After), 500 and
 * 529 mapped onto the SPI's taxonomy without the key in any message, even when the vendor's error
 * quotes it; truncated streams and streams that end before their last event failing as retriable
 * after the text that arrived; embeddings in batches and in order; rerank hits read back.
 */
public abstract class ProviderContract {

    /** The key every test configures; it must appear in no message. */
    public static final String API_KEY = "sk-contract-0123456789abcdef";

    protected static final ObjectMapper JSON = new ObjectMapper();

    /** The requests the contract sends. */
    public enum Case {
        /** A system prompt, one user message, and the common parameters. */
        BASIC,
        /** A conversation with an earlier tool call and its result, tools offered and required. */
        TOOLS,
        /** An answer that must follow a JSON schema. */
        JSON_SCHEMA,
        /** A user message with text and an inline PNG image. */
        IMAGE;

        /** The request of this case. */
        public ChatRequest request() {
            return switch (this) {
                case BASIC -> new ChatRequest(List.of(new ChatMessage.System("Be brief."), ChatMessage.User.of("Hello?")),
                        List.of(), ToolChoice.AUTO, new ModelParameters(0.2, 0.9, 100, List.of("END"), null, null, null, null),
                        null, "user-1");
                case TOOLS -> new ChatRequest(List.of(
                        new ChatMessage.System("Use the tools."),
                        ChatMessage.User.of("Weather in Paris?"),
                        new ChatMessage.Assistant("", "", List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))),
                        new ChatMessage.ToolResult("call_1", "get_weather", "{\"celsius\":21}"),
                        ChatMessage.User.of("And in Rome?")),
                        List.of(WEATHER), ToolChoice.REQUIRED,
                        new ModelParameters(null, null, 200, null, null, null, null, null), null, null);
                case JSON_SCHEMA -> new ChatRequest(List.of(ChatMessage.User.of("Rate this film.")), List.of(), ToolChoice.AUTO,
                        new ModelParameters(null, null, 50, null, null, null, null, null),
                        new ResponseFormat.JsonSchema("rating", Map.of("type", "object",
                                "properties", Map.of("score", Map.of("type", "number")), "required", List.of("score")), true),
                        null);
                case IMAGE -> new ChatRequest(List.of(new ChatMessage.User(List.of(new ContentPart.Text("What is in this picture?"),
                        new ContentPart.Image("data:image/png;base64," + PNG, "low")))), List.of(), ToolChoice.AUTO,
                        new ModelParameters(null, null, 50, null, null, null, null, null), null, null);
            };
        }
    }

    /** The tool offered in {@link Case#TOOLS}. */
    public static final ToolSpec WEATHER = new ToolSpec("get_weather", "The weather in a city", Map.of("type", "object",
            "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city")));

    /** A 1x1 PNG, base64. */
    public static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    /**
     * An answer the vendor gives, to be written in its wire format. Streams split text, reasoning
     * and tool arguments into the pieces given here, one event each.
     *
     * @param reasoning reasoning content, or ""
     * @param text the answer's text, or ""
     * @param toolCall the tool the model calls, or null
     * @param usage the tokens the vendor reports
     * @param finish why the model stopped
     */
    public record Answer(String reasoning, String text, ToolCall toolCall, Usage usage, FinishReason finish) {

        public List<String> reasoningPieces() {
            return WireServer.pieces(reasoning, 7);
        }

        public List<String> textPieces() {
            return WireServer.pieces(text, 6);
        }

        public List<String> argumentPieces() {
            return toolCall == null ? List.of() : WireServer.pieces(toolCall.arguments(), 5);
        }
    }

    /** A plain answer. */
    public static final Answer TEXT = new Answer("", "Paris is the capital of France.", null, new Usage(12, 7), FinishReason.STOP);
    /** An answer with reasoning apart. */
    public static final Answer REASONING = new Answer("The user asks about France; its capital is Paris.",
            "Paris.", null, new Usage(20, 15), FinishReason.STOP);
    /** A tool call. */
    public static final Answer TOOL_CALL = new Answer("", "", new ToolCall("call_abc", "get_weather", "{\"city\":\"Rome\"}"),
            new Usage(30, 9), FinishReason.TOOL_CALLS);
    /** An answer cut short by the token limit. */
    public static final Answer LENGTH = new Answer("", "Paris is the capital", null, new Usage(12, 4), FinishReason.LENGTH);

    protected WireServer server;
    protected ModelProvider provider;
    protected ProviderConfig config;

    // ---------------------------------------------------------------- what a provider's test says

    /** The provider under test, calling out through this client. */
    protected abstract ModelProvider provider(OutboundHttp http);

    /** A configuration that points the provider at the server ({@code http://127.0.0.1:port}, no path). */
    protected abstract ProviderConfig config(String serverUrl, Secret apiKey);

    /** The chat model the tests ask for. */
    protected abstract String chatModel();

    /** Asserts the method, path, query, headers and authentication (with {@link #API_KEY}) of a chat request. */
    protected abstract void assertChatRoute(Recorded request, boolean stream);

    /** The exact JSON body the provider sends for this case. */
    protected abstract String expectedChatBody(Case c, boolean stream);

    /** The vendor's whole answer. */
    protected abstract Reply chatReply(Answer answer);

    /**
     * The vendor's streamed answer: a successful stream, one part per event, ending the way the
     * vendor ends a complete stream.
     */
    protected abstract Reply streamReply(Answer answer);

    /** The vendor's error answer with this status and message. */
    protected abstract Reply errorReply(int status, String message);

    /** Whether the provider has chat models; a rerank-only provider says no and skips the chat part. */
    protected boolean chats() {
        return true;
    }

    /** Whether the vendor gives tool calls ids of its own (when not, the provider makes them up). */
    protected boolean vendorNamesToolCalls() {
        return true;
    }

    /** Whether the vendor streams a tool call's arguments in pieces, or each call whole. */
    protected boolean vendorStreamsArgumentPieces() {
        return true;
    }

    // embeddings: override all of these when the provider embeds

    protected boolean embeds() {
        return false;
    }

    protected String embeddingModel() {
        throw new UnsupportedOperationException();
    }

    /** How many texts the provider sends in one request at most. */
    protected int embeddingBatchSize() {
        throw new UnsupportedOperationException();
    }

    protected void assertEmbeddingRoute(Recorded request) {
        throw new UnsupportedOperationException();
    }

    /** The exact JSON body of one batch. */
    protected String expectedEmbeddingBody(List<String> texts, EmbeddingRequest.Purpose purpose) {
        throw new UnsupportedOperationException();
    }

    /** The vendor's answer to one batch; {@code tokens} is what it reports having read. */
    protected Reply embeddingReply(List<float[]> vectors, int tokens) {
        throw new UnsupportedOperationException();
    }

    /** Whether the vendor reports the tokens an embedding call read. */
    protected boolean embeddingUsageReported() {
        return true;
    }

    // rerank: override all of these when the provider reranks

    protected boolean reranks() {
        return false;
    }

    protected String rerankModel() {
        throw new UnsupportedOperationException();
    }

    protected void assertRerankRoute(Recorded request) {
        throw new UnsupportedOperationException();
    }

    protected String expectedRerankBody(String query, List<String> documents, int topN) {
        throw new UnsupportedOperationException();
    }

    /** The vendor's answer: these hits, best first, and the tokens it read (0: not reported). */
    protected Reply rerankReply(List<RerankResponse.Hit> hits, int tokens) {
        throw new UnsupportedOperationException();
    }

    // ---------------------------------------------------------------- the contract

    @BeforeEach
    final void startServer() throws IOException {
        server = new WireServer();
        provider = provider(new LoopbackHttp());
        config = config(server.url(), Secret.of(API_KEY));
    }

    @AfterEach
    final void stopServer() throws IOException {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void everyRequestIsSentExactlyInTheVendorsShape(Case c) throws ModelException {
        Assumptions.assumeTrue(chats(), "this provider has no chat models");
        server.reply(chatReply(c == Case.TOOLS ? TOOL_CALL : TEXT));
        provider.chatModel(config, chatModel()).chat(c.request());

        Recorded sent = server.only();
        assertChatRoute(sent, false);
        assertThat(sent.json()).as("the request body of %s", c).isEqualTo(parse(expectedChatBody(c, false)));
    }

    @Test
    void aStreamedRequestIsSentExactlyInTheVendorsShape() throws ModelException {
        Assumptions.assumeTrue(chats(), "this provider has no chat models");
        server.reply(streamReply(TEXT));
        provider.chatModel(config, chatModel()).stream(Case.BASIC.request(), event -> { });

        Recorded sent = server.only();
        assertChatRoute(sent, true);
        assertThat(sent.json()).isEqualTo(parse(expectedChatBody(Case.BASIC, true)));
    }

    @Test
    void aWholeAnswerIsReadWithItsUsageAndFinishReason() throws ModelException {
        Assumptions.assumeTrue(chats(), "this provider has no chat models");
        server.reply(chatReply(TEXT)).reply(chatReply(LENGTH));

        ChatResponse response = provider.chatModel(config, chatModel()).chat(Case.BASIC.request());
        assertThat(response.message().text()).isEqualTo(TEXT.text());
        assertThat(response.message().reasoning()).isEmpty();
        assertThat(response.message().toolCalls()).isEmpty();
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.usage()).isEqualTo(TEXT.usage());

        ChatResponse cut = provider.chatModel(config, chatModel()).chat(Case.BASIC.request());
        assertThat(cut.message().text()).isEqualTo(LENGTH.text());
        assertThat(cut.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void aStreamDeliversEachPieceInOrderThenTheWholeAnswer() throws ModelException {
        Assumptions.assumeTrue(chats(), "this provider has no chat models");
        server.reply(streamReply(TEXT));
        List<ChatEvent> events = stream(Case.BASIC);

        assertThat(events).filteredOn(ChatEvent.TextDelta.class::isInstance)
                .extracting(e -> ((ChatEvent.TextDelta) e).text()).containsExactlyElementsOf(TEXT.textPieces());
        assertThat(events).last().isInstanceOf(ChatEvent.Completed.class);
        assertThat(events).filteredOn(ChatEvent.Completed.class::isInstance).hasSize(1);
        ChatResponse whole = ((ChatEvent.Completed) events.getLast()).response();
        assertThat(whole.message().text()).isEqualTo(TEXT.text());
        assertThat(whole.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(whole.usage()).isEqualTo(TEXT.usage());
    }

    @Test
    void reasoningIsKeptApartFromTheAnswer() throws ModelException {
        Assumptions.assumeTrue(chats(), "this provider has no chat models");
        server.reply(chatReply(REASONING)).reply(streamReply(REASONING));

        ChatResponse whole = provider.chatModel(config, chatModel()).chat(Case.BASIC.request());
        assertThat(whole.message().text()).isEqualTo(REASONING.text());
        assertThat(whole.message().reasoning()).isEqualTo(REASONING.reasoning());

        List<ChatEvent> events = stream(Case.BASIC);
        assertThat(events).filteredOn(ChatEvent.ReasoningDelta.class::isInstance)
                .extracting(e -> ((ChatEvent.ReasoningDelta) e).text()).containsExactlyElementsOf(REASONING.reasoningPieces());
        assertThat(events).filteredOn(ChatEvent.TextDelta.class::isInstance)
                .extracting(e -> ((ChatEvent.TextDelta) e).text()).containsExactlyElementsOf(REASONING.textPieces());
        ChatResponse streamed = ((ChatEvent.Completed) events.getLast()).response();
        assertThat(streamed.message().text()).isEqualTo(REASONING.text());
        assertThat(streamed.message().reasoning()).isEqualTo(REASONING.reasoning());
        assertThat(streamed.usage()).isEqualTo(REASONING.usage());
    }

    @Test
    void aToolCallIsReadWhole() throws ModelException {
        Assumptions.assumeTrue(chats(), "this provider has no chat models");
        server.reply(chatReply(TOOL_CALL));

        ChatResponse response = provider.chatModel(config, chatModel()).chat(Case.TOOLS.request());
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(response.usage()).isEqualTo(TOOL_CALL.usage());
        assertThat(response.message().toolCalls()).singleElement().satisfies(this::isTheToolCall);
    }

    @Test
    void aStreamedToolCallArrivesInDeltasAndWhole() throws ModelException {
        Assumptions.assumeTrue(chats(), "this provider has no chat models");
        server.reply(streamReply(TOOL_CALL));
        List<ChatEvent> events = stream(Case.TOOLS);

        List<ChatEvent.ToolCallDelta> deltas = events.stream().filter(ChatEvent.ToolCallDelta.class::isInstance)
                .map(ChatEvent.ToolCallDelta.class::cast).toList();
        assertThat(deltas).isNotEmpty().allSatisfy(delta -> assertThat(delta.index()).isZero());
        assertThat(deltas.getFirst().name()).isEqualTo("get_weather");
        assertThat(deltas.getFirst().id()).isNotBlank();
        if (vendorStreamsArgumentPieces()) {
            assertThat(deltas.stream().filter(d -> !d.argumentsDelta().isEmpty()).map(ChatEvent.ToolCallDelta::argumentsDelta))
                    .containsExactlyElementsOf(TOOL_CALL.argumentPieces());
        }
        StringBuilder arguments = new StringBuilder();
        deltas.forEach(d -> arguments.append(d.argumentsDelta()));
        assertThat(parse(arguments.toString())).isEqualTo(parse(TOOL_CALL.toolCall().arguments()));
        ChatResponse whole = ((ChatEvent.Completed) events.getLast()).response();
        assertThat(whole.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(whole.usage()).isEqualTo(TOOL_CALL.usage());
        assertThat(whole.message().toolCalls()).singleElement().satisfies(this::isTheToolCall);
        assertThat(whole.message().toolCalls().getFirst().id()).isEqualTo(deltas.getFirst().id());
    }

    private void isTheToolCall(ToolCall call) {
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(parse(call.arguments())).isEqualTo(parse(TOOL_CALL.toolCall().arguments()));
        if (vendorNamesToolCalls()) {
            assertThat(call.id()).isEqualTo(TOOL_CALL.toolCall().id());
        } else {
            assertThat(call.id()).isNotBlank();
        }
    }

    @Test
    void vendorFailuresMapOntoTheTaxonomyWithoutTheKey() {
        Assumptions.assumeTrue(chats(), "this provider has no chat models");
        record Expected(int status, Class<? extends ModelException> type) {
        }
        List<Expected> cases = List.of(new Expected(400, NonRetriableModelException.InvalidRequest.class),
                new Expected(401, NonRetriableModelException.AuthenticationFailed.class),
                new Expected(404, NonRetriableModelException.ModelNotFound.class),
                new Expected(429, RetriableModelException.RateLimited.class),
                new Expected(500, RetriableModelException.Unavailable.class),
                new Expected(529, RetriableModelException.Unavailable.class));
        for (Expected expected : cases) {
            for (boolean stream : List.of(false, true)) {
                // the vendor's message quotes the key, as a proxy or gateway might: it must be masked
                String message = "contract failure " + expected.status();
                Reply reply = errorReply(expected.status(), message + " for key " + API_KEY);
                server.reply(expected.status() == 429 ? reply.withHeader("Retry-After", "2") : reply);
                assertThatThrownBy(() -> {
                    if (stream) {
                        stream(Case.BASIC);
                    } else {
                        provider.chatModel(config, chatModel()).chat(Case.BASIC.request());
                    }
                }).as("HTTP %d, %s", expected.status(), stream ? "streamed" : "whole")
                        .isInstanceOf(expected.type())
                        .hasMessageContaining(message)
                        .hasMessageNotContaining(API_KEY)
                        .satisfies(e -> {
                            if (e instanceof RetriableModelException.RateLimited limited) {
                                assertThat(limited.retryAfter()).contains(Duration.ofSeconds(2));
                            }
                        });
            }
        }
    }

    @Test
    void aStreamThatBreaksOffFailsAsRetriableAfterWhatArrived() {
        Assumptions.assumeTrue(chats(), "this provider has no chat models");
        Reply whole = streamReply(TEXT);
        assertThat(whole.parts()).as("a stream of several events").hasSizeGreaterThan(3);
        // dropped mid-body, and ended cleanly but before the vendor's last events; halfway, so that
        // some text has arrived whatever events the vendor sends before its first piece of text
        int half = whole.parts().size() / 2;
        Reply dropped = whole.cutAfter(half);
        Reply ended = new Reply(200, whole.contentType(), whole.headers(), whole.parts().subList(0, half), true, Duration.ZERO, -1);
        for (Reply reply : List.of(dropped, ended)) {
            server.reply(reply);
            List<ChatEvent> events = new CopyOnWriteArrayList<>();
            assertThatThrownBy(() -> provider.chatModel(config, chatModel()).stream(Case.BASIC.request(), events::add))
                    .isInstanceOf(RetriableModelException.class).hasMessageNotContaining(API_KEY);
            assertThat(events).noneMatch(ChatEvent.Completed.class::isInstance);
            StringBuilder text = new StringBuilder();
            events.stream().filter(ChatEvent.TextDelta.class::isInstance).forEach(e -> text.append(((ChatEvent.TextDelta) e).text()));
            assertThat(text).as("the text that arrived before the stream broke off").isNotEmpty();
            assertThat(TEXT.text()).startsWith(text.toString());
        }
    }

    @Test
    void aSlowStreamReachesTheCallerAsItIsWritten() throws ModelException {
        Assumptions.assumeTrue(chats(), "this provider has no chat models");
        server.reply(streamReply(TEXT).slowly(Duration.ofMillis(60)));
        List<Long> received = new CopyOnWriteArrayList<>();
        List<ChatEvent> events = new ArrayList<>();
        provider.chatModel(config, chatModel()).stream(Case.BASIC.request(), event -> {
            if (event instanceof ChatEvent.TextDelta) {
                received.add(System.nanoTime());
            }
            events.add(event);
        });

        List<Long> written = server.partsWrittenAt();
        assertThat(received).hasSize(TEXT.textPieces().size());
        assertThat(received.getFirst()).as("the first piece arrived before the server wrote the last")
                .isLessThan(written.getLast());
        assertThat(((ChatEvent.Completed) events.getLast()).response().message().text()).isEqualTo(TEXT.text());
    }

    @Test
    void embeddingsGoInBatchesAndComeBackInOrder() throws ModelException {
        Assumptions.assumeTrue(embeds(), "this provider has no embedding models");
        int batch = embeddingBatchSize();
        List<String> texts = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < batch + 3; i++) {
            texts.add("text number " + i);
            vectors.add(new float[] {i, 0.5f, -i / 4f, 1f});
        }
        server.reply(embeddingReply(vectors.subList(0, batch), 10 * batch)).reply(embeddingReply(vectors.subList(batch, batch + 3), 30));

        EmbeddingResponse response = provider.embeddingModel(config, embeddingModel())
                .embed(new EmbeddingRequest(texts, EmbeddingRequest.Purpose.DOCUMENT));

        assertThat(response.vectors()).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(response.vectors().get(i)).as("vector %d", i).containsExactly(vectors.get(i));
        }
        if (embeddingUsageReported()) {
            assertThat(response.usage().promptTokens()).isEqualTo(10L * batch + 30);
        }
        List<Recorded> sent = server.requests();
        assertThat(sent).hasSize(2);
        sent.forEach(this::assertEmbeddingRoute);
        assertThat(sent.get(0).json()).isEqualTo(parse(expectedEmbeddingBody(texts.subList(0, batch), EmbeddingRequest.Purpose.DOCUMENT)));
        assertThat(sent.get(1).json()).isEqualTo(parse(expectedEmbeddingBody(texts.subList(batch, batch + 3),
                EmbeddingRequest.Purpose.DOCUMENT)));
    }

    @Test
    void aQueryIsEmbeddedAsAQuery() throws ModelException {
        Assumptions.assumeTrue(embeds(), "this provider has no embedding models");
        server.reply(embeddingReply(List.of(new float[] {0.25f, 0.5f}), 3));
        EmbeddingResponse response = provider.embeddingModel(config, embeddingModel())
                .embed(new EmbeddingRequest(List.of("where is paris"), EmbeddingRequest.Purpose.QUERY));
        assertThat(response.vectors()).singleElement().satisfies(v -> assertThat(v).containsExactly(0.25f, 0.5f));
        assertEmbeddingRoute(server.only());
        assertThat(server.only().json()).isEqualTo(parse(expectedEmbeddingBody(List.of("where is paris"),
                EmbeddingRequest.Purpose.QUERY)));
    }

    @Test
    void embeddingFailuresMapOntoTheTaxonomy() {
        Assumptions.assumeTrue(embeds(), "this provider has no embedding models");
        server.reply(errorReply(401, "contract embed 401")).reply(errorReply(429, "contract embed 429").withHeader("Retry-After", "1"));
        EmbeddingRequest request = new EmbeddingRequest(List.of("x"), EmbeddingRequest.Purpose.DOCUMENT);
        assertThatThrownBy(() -> provider.embeddingModel(config, embeddingModel()).embed(request))
                .isInstanceOf(NonRetriableModelException.AuthenticationFailed.class).hasMessageContaining("contract embed 401");
        assertThatThrownBy(() -> provider.embeddingModel(config, embeddingModel()).embed(request))
                .isInstanceOfSatisfying(RetriableModelException.RateLimited.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(1)));
    }

    @Test
    void rerankHitsComeBackBestFirst() throws ModelException {
        Assumptions.assumeTrue(reranks(), "this provider has no rerank models");
        List<String> documents = List.of("Paris is in France.", "Bananas are yellow.", "The Eiffel tower is in Paris.");
        List<RerankResponse.Hit> hits = List.of(new RerankResponse.Hit(2, 0.93), new RerankResponse.Hit(0, 0.71));
        server.reply(rerankReply(hits, 42));

        RerankResponse response = provider.rerankModel(config, rerankModel()).rerank(new RerankRequest("Where is Paris?", documents, 2));

        assertThat(response.hits()).containsExactlyElementsOf(hits);
        assertRerankRoute(server.only());
        assertThat(server.only().json()).isEqualTo(parse(expectedRerankBody("Where is Paris?", documents, 2)));
    }

    @Test
    void rerankFailuresMapOntoTheTaxonomy() {
        Assumptions.assumeTrue(reranks(), "this provider has no rerank models");
        server.reply(errorReply(404, "contract rerank 404")).reply(errorReply(500, "contract rerank 500"));
        RerankRequest request = new RerankRequest("q", List.of("a", "b"), 0);
        assertThatThrownBy(() -> provider.rerankModel(config, rerankModel()).rerank(request))
                .isInstanceOf(NonRetriableModelException.ModelNotFound.class).hasMessageContaining("contract rerank 404");
        assertThatThrownBy(() -> provider.rerankModel(config, rerankModel()).rerank(request))
                .isInstanceOf(RetriableModelException.Unavailable.class).hasMessageContaining("contract rerank 500");
    }

    // ---------------------------------------------------------------- helpers for subclasses

    /** Streams a case's request and returns every event. */
    protected List<ChatEvent> stream(Case c) throws ModelException {
        List<ChatEvent> events = new CopyOnWriteArrayList<>();
        provider.chatModel(config, chatModel()).stream(c.request(), events::add);
        return events;
    }

    /** JSON text as a tree; fails the test on malformed JSON. */
    protected static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return fail("not JSON: " + json, e);
        }
    }

    /** A value as JSON text. */
    protected static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
