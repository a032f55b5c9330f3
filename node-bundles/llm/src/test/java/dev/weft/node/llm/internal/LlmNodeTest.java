package dev.weft.node.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelResult;
import dev.weft.api.model.ModelRuntime;
import dev.weft.node.testing.TestNodeContext;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.ContentPart;
import dev.weft.spi.model.EmbeddingRequest;
import dev.weft.spi.model.EmbeddingResponse;
import dev.weft.spi.model.FinishReason;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ResponseFormat;
import dev.weft.spi.model.Usage;
import dev.weft.spi.node.NodeEvent;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.TemplateRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The llm node's Dify behaviours against a double of the model runtime that streams a scripted answer. */
class LlmNodeTest {

    private final List<ChatRequest> requests = new ArrayList<>();
    private final List<ModelCall> calls = new ArrayList<>();
    private List<String> chunks = List.of("Hello ", "there.");
    private String reasoning = "";
    private ModelException failure;

    private final ModelRuntime runtime = new ModelRuntime() {
        @Override
        public ModelResult chat(ModelCall call, ChatRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ModelResult stream(ModelCall call, ChatRequest request, Consumer<ChatEvent> sink) throws ModelException {
            calls.add(call);
            requests.add(request);
            if (failure != null) {
                throw failure;
            }
            if (!reasoning.isEmpty()) {
                sink.accept(new ChatEvent.ReasoningDelta(reasoning));
            }
            chunks.forEach(c -> sink.accept(new ChatEvent.TextDelta(c)));
            ChatResponse whole = new ChatResponse(new ChatMessage.Assistant(String.join("", chunks), reasoning, List.of()),
                    FinishReason.STOP, new Usage(12, 5), call.model());
            sink.accept(new ChatEvent.Completed(whole));
            return new ModelResult(whole, "openai", call.model(), List.of(), 1);
        }

        @Override
        public EmbeddingResponse embed(ModelCall call, EmbeddingRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.weft.spi.model.RerankResponse rerank(ModelCall call, dev.weft.spi.model.RerankRequest request) {
            throw new UnsupportedOperationException();
        }
    };

    private final LlmNode node = new LlmNode(runtime);

    /** What the template renderer double was asked: each template with the names it was given. */
    private final List<String> templates = new ArrayList<>();
    private final List<Map<String, Object>> names = new ArrayList<>();

    /** A double of the template bundle's renderer: records the call and answers with the template, marked. */
    private final TemplateRenderer renderer = (template, variables) -> {
        templates.add(template);
        names.add(variables);
        return "<" + template + ">";
    };

    private static Map<String, Object> config(Object... pairs) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("type", "llm");
        config.put("model", Map.of("provider", "langgenius/openai/openai", "name", "gpt-4o", "mode", "chat",
                "completion_params", Map.of("temperature", 0.3, "max_tokens", 512)));
        config.put("prompt_template", List.of(Map.of("role", "system", "text", "You answer about {{#start.topic#}}."),
                Map.of("role", "user", "text", "{{#start.question#}}")));
        for (int i = 0; i < pairs.length; i += 2) {
            config.put((String) pairs[i], pairs[i + 1]);
        }
        return config;
    }

    private static String text(ChatMessage message) {
        return switch (message) {
            case ChatMessage.System s -> "system:" + s.text();
            case ChatMessage.User u -> "user:" + u.content().stream().map(p -> p instanceof ContentPart.Text t ? t.text()
                    : "[image " + ((ContentPart.Image) p).url() + "]").reduce("", String::concat);
            case ChatMessage.Assistant a -> "assistant:" + a.text();
            case ChatMessage.ToolResult t -> "tool:" + t.content();
        };
    }

    @Test
    void thePromptIsRenderedSentAndTheAnswerStreamed() throws NodeException {
        TestNodeContext context = TestNodeContext.of("llm1", config()).with("start.topic", "weaving")
                .with("start.question", "What is a weft?");
        NodeResult result = node.execute(context);

        assertThat(requests.get(0).messages()).extracting(LlmNodeTest::text)
                .containsExactly("system:You answer about weaving.", "user:What is a weft?");
        assertThat(requests.get(0).parameters().temperature()).isEqualTo(0.3);
        assertThat(requests.get(0).parameters().maxTokens()).isEqualTo(512);
        assertThat(calls.get(0).provider()).isEqualTo("langgenius/openai/openai");
        assertThat(calls.get(0).model()).isEqualTo("gpt-4o");
        assertThat(calls.get(0).nodeId()).isEqualTo("llm1");
        assertThat(result.outputs()).containsEntry("text", "Hello there.").containsEntry("finish_reason", "stop")
                .containsEntry("reasoning_content", "");
        @SuppressWarnings("unchecked")
        Map<String, Object> usage = (Map<String, Object>) result.outputs().get("usage");
        assertThat(usage).containsEntry("prompt_tokens", 12L).containsEntry("total_tokens", 17L);
        assertThat(result.metadata()).containsEntry("total_tokens", 17L);
        assertThat(context.events()).containsExactly(new NodeEvent.TextChunk("text", "Hello "), new NodeEvent.TextChunk("text", "there."));
        assertThat(result.processData().get("prompts").toString()).contains("What is a weft?");
    }

    @Test
    void contextFillsItsPlaceholderAndMemoryAddsTheQuery() throws NodeException {
        Map<String, Object> config = config("prompt_template", List.of(Map.of("role", "system",
                "text", "Use this:\n{{#context#}}")), "context", Map.of("enabled", true, "variable_selector", List.of("kr", "result")),
                "memory", Map.of("window", Map.of("enabled", true, "size", 10), "query_prompt_template", "Q: {{#sys.query#}}"));
        node.execute(TestNodeContext.of(config).with("kr.result", List.of(Map.of("content", "chunk one"), Map.of("content", "chunk two")))
                .with("sys.query", "and then?"));
        assertThat(requests.get(0).messages()).extracting(LlmNodeTest::text)
                .containsExactly("system:Use this:\nchunk one\nchunk two", "user:Q: and then?");
    }

    @Test
    @SuppressWarnings("unchecked")
    void knowledgeInTheContextIsCitedAsRetrieverResources() throws NodeException {
        Map<String, Object> config = config("prompt_template", List.of(Map.of("role", "system", "text", "{{#context#}}")),
                "context", Map.of("enabled", true, "variable_selector", List.of("kr", "result")));
        Map<String, Object> found = Map.of("content", "Weft runs across.", "title", "loom.txt", "metadata", Map.of(
                "_source", "knowledge", "position", 1, "dataset_id", "kb-1", "dataset_name", "Looms", "document_id", "doc-1",
                "document_name", "loom.txt", "segment_id", "seg-1", "score", 0.87, "retriever_from", "workflow",
                "segment_position", 3));
        NodeResult cited = node.execute(TestNodeContext.of(config)
                .with("kr.result", List.of(found, Map.of("content", "a note that no knowledge base gave"))));
        assertThat(cited.metadata().get("retriever_resources")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .singleElement().satisfies(resource -> assertThat((Map<String, Object>) resource)
                        .containsEntry("position", 1).containsEntry("dataset_id", "kb-1").containsEntry("dataset_name", "Looms")
                        .containsEntry("document_id", "doc-1").containsEntry("document_name", "loom.txt")
                        .containsEntry("segment_id", "seg-1").containsEntry("score", 0.87).containsEntry("segment_position", 3)
                        .containsEntry("content", "Weft runs across.").containsEntry("title", "loom.txt"));

        NodeResult plain = node.execute(TestNodeContext.of(config("prompt_template", List.of(Map.of("role", "user", "text", "hi")))));
        assertThat(plain.metadata()).doesNotContainKey("retriever_resources");
    }

    @Test
    void retrievedTextIsNeverATemplateAndKnowledgeIsPrependedOnlyWhenThereIsSome() throws NodeException {
        Map<String, Object> config = config("prompt_template", List.of(Map.of("role", "system", "text", "Be kind.")),
                "context", Map.of("enabled", true, "variable_selector", List.of("kr", "result"),
                        "prepend", "Knowledge: {{#context#}}\n"));
        node.execute(TestNodeContext.of(config).with("kr.result", List.of(Map.of("content", "ignore this {{#sys.user_id#}}")))
                .with("sys.user_id", "secret-user"));
        assertThat(requests.get(0).messages()).extracting(LlmNodeTest::text)
                .containsExactly("system:Knowledge: ignore this {{#sys.user_id#}}\nBe kind.");

        node.execute(TestNodeContext.of(config).with("kr.result", List.of()));
        assertThat(requests.get(1).messages()).extracting(LlmNodeTest::text).containsExactly("system:Be kind.");

        Map<String, Object> placed = config("prompt_template", List.of(Map.of("role", "system", "text", "Facts: {{#context#}}")),
                "context", Map.of("enabled", true, "variable_selector", List.of("kr", "result"), "prepend", "Knowledge: {{#context#}}"));
        node.execute(TestNodeContext.of(placed).with("kr.result", List.of(Map.of("content", "weft"))));
        assertThat(requests.get(2).messages()).extracting(LlmNodeTest::text).containsExactly("system:Facts: weft");
    }

    @Test
    void memoryPutsTheConversationsEarlierTurnsBetweenTheTemplateAndTheQuery() throws NodeException {
        Map<String, Object> config = config("prompt_template", List.of(Map.of("role", "system", "text", "Be kind.")),
                "memory", Map.of("window", Map.of("enabled", true, "size", 2), "query_prompt_template", "{{#sys.query#}}"));
        node.execute(TestNodeContext.of(config).with("sys.query", "and now?").withHistory(List.of(
                new dev.weft.spi.node.ConversationTurn("first", "one"), new dev.weft.spi.node.ConversationTurn("second", "two"),
                new dev.weft.spi.node.ConversationTurn("third", "three"))));
        assertThat(requests.get(0).messages()).extracting(LlmNodeTest::text).containsExactly("system:Be kind.",
                "user:second", "assistant:two", "user:third", "assistant:three", "user:and now?");

        Map<String, Object> completion = config("prompt_template", Map.of("text", "Chat so far:\n#histories#\nReply to: {{#sys.query#}}"),
                "memory", Map.of("window", Map.of("enabled", false), "role_prefix", Map.of("user", "U", "assistant", "A")));
        node.execute(TestNodeContext.of(completion).with("sys.query", "hi").withHistory(List.of(
                new dev.weft.spi.node.ConversationTurn("q1", "a1"))));
        assertThat(requests.get(1).messages()).extracting(LlmNodeTest::text)
                .containsExactly("user:Chat so far:\nU: q1\nA: a1\nReply to: hi");
    }

    @Test
    void completionModeSendsOneUserMessageAndVisionAddsImages() throws NodeException {
        Map<String, Object> config = config("prompt_template", Map.of("text", "Summarise: {{#start.text#}}"),
                "vision", Map.of("enabled", true, "configs", Map.of("detail", "low")));
        node.execute(TestNodeContext.of(config).with("start.text", "long text")
                .with("sys.files", List.of(Map.of("type", "image", "remote_url", "https://img.example/x.png"),
                        Map.of("type", "document", "remote_url", "https://doc.example/y.pdf"))));
        assertThat(requests.get(0).messages()).extracting(LlmNodeTest::text)
                .containsExactly("user:Summarise: long text[image https://img.example/x.png]");
    }

    @Test
    void jinja2ChatMessagesRenderTheirJinja2TextWithTheDeclaredVariablesOnly() throws NodeException {
        node.templates = renderer;
        String loop = "{% for d in docs %}{{ loop.index }}. {{ d.title | upper }}\n{% endfor %}"
                + "{{ who | default('you') }} {{#start.topic#}} {{#context#}}";
        Map<String, Object> config = config("prompt_template", List.of(
                Map.of("role", "system", "text", "You answer about {{#start.topic#}}.", "edition_type", "basic"),
                Map.of("role", "user", "edition_type", "jinja2", "text", "the basic text is not used", "jinja2_text", loop)),
                "prompt_config", Map.of("jinja2_variables", List.of(
                        Map.of("variable", "docs", "value_selector", List.of("start", "docs")),
                        Map.of("variable", "who", "value_selector", List.of("start", "who")),
                        Map.of("variable", "absent", "value_selector", List.of("start", "nothing")))),
                "context", Map.of("enabled", true, "variable_selector", List.of("kr", "result")));
        List<Map<String, Object>> docs = List.of(Map.of("title", "warp"), Map.of("title", "weft"));
        node.execute(TestNodeContext.of(config).with("start.topic", "weaving").with("start.who", "Ada")
                .with("start.docs", docs).with("start.other", "not declared").with("kr.result", "retrieved"));

        // the loop, the filters and Dify references reach the renderer as written: no context, no {{#...#}}
        assertThat(templates).containsExactly(loop);
        assertThat(requests.get(0).messages()).extracting(LlmNodeTest::text)
                .containsExactly("system:You answer about weaving.", "user:<" + loop + ">");
        // only the declared names, values kept whole (a list to loop over), a missing one empty as in Dify
        assertThat(names.get(0)).containsExactly(Map.entry("docs", docs), Map.entry("who", "Ada"), Map.entry("absent", ""));
    }

    @Test
    void aJinja2CompletionTemplateIsRenderedAndThenGetsTheMemory() throws NodeException {
        node.templates = renderer;
        Map<String, Object> config = config("prompt_template", Map.of("edition_type", "jinja2", "text", "unused",
                "jinja2_text", "So far:\n#histories#\n{{ q | trim }}"),
                "prompt_config", Map.of("jinja2_variables", List.of(Map.of("variable", "q", "value_selector", List.of("sys", "query")))),
                "memory", Map.of("window", Map.of("enabled", false), "role_prefix", Map.of("user", "U", "assistant", "A")));
        node.execute(TestNodeContext.of(config).with("sys.query", " hi ").withHistory(List.of(
                new dev.weft.spi.node.ConversationTurn("q1", "a1"))));
        assertThat(names).containsExactly(Map.of("q", " hi "));
        assertThat(requests.get(0).messages()).extracting(LlmNodeTest::text)
                .containsExactly("user:<So far:\nU: q1\nA: a1\n{{ q | trim }}>");
    }

    @Test
    void withoutTheTemplateBundleJinja2PromptsFailClearlyUntilARendererIsBound() throws NodeException {
        Map<String, Object> config = config("prompt_template", List.of(Map.of("role", "user", "edition_type", "jinja2",
                "jinja2_text", "{{ x }}")));
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config)))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("prompt_template_unsupported"))
                .hasMessageContaining("dev.weft.node.template");
        assertThat(requests).isEmpty();

        // bound later (the reference is dynamic): the same node now renders
        node.templates = renderer;
        node.execute(TestNodeContext.of(config));
        assertThat(requests.get(0).messages()).extracting(LlmNodeTest::text).containsExactly("user:<{{ x }}>");
        assertThat(names).containsExactly(Map.of());
    }

    @Test
    void theRenderersFailuresFailTheNodeWithTheirCode() {
        node.templates = (template, variables) -> {
            throw new NodeException("template_limit", "the output is longer than 400000 characters");
        };
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("prompt_template", List.of(Map.of("role", "user",
                "edition_type", "jinja2", "jinja2_text", "{% for i in range(9) %}x{% endfor %}"))))))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("template_limit"));
        assertThat(requests).isEmpty();
    }

    @Test
    void structuredOutputAsksForTheSchemaAndParsesTheAnswer() throws NodeException {
        chunks = List.of("```json\n{\"score\": 4, ", "\"label\": \"good\"}\n```");
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("score", Map.of("type", "number")));
        NodeResult result = node.execute(TestNodeContext.of(config("structured_output_enabled", true,
                "structured_output", Map.of("schema", schema))).with("start.question", "rate"));
        assertThat(requests.get(0).responseFormat()).isEqualTo(new ResponseFormat.JsonSchema("structured_output", schema, false));
        assertThat(result.outputs().get("structured_output")).isEqualTo(Map.of("score", 4, "label", "good"));

        chunks = List.of("not json at all");
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config("structured_output_enabled", true,
                "structured_output", Map.of("schema", schema)))))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("structured_output_error"));
    }

    @Test
    void reasoningIsKeptApartWhenSeparatedAndTaggedOtherwise() throws NodeException {
        chunks = List.of("<thi", "nk>weighing it</th", "ink>The answer", " is 42.");
        TestNodeContext separated = TestNodeContext.of(config("reasoning_format", "separated"));
        NodeResult split = node.execute(separated);
        assertThat(split.outputs()).containsEntry("text", "The answer is 42.").containsEntry("reasoning_content", "weighing it");
        assertThat(separated.events()).extracting(e -> ((NodeEvent.TextChunk) e).text()).containsExactly("The answer", " is 42.");

        NodeResult tagged = node.execute(TestNodeContext.of(config()));
        assertThat(tagged.outputs()).containsEntry("text", "<think>weighing it</think>The answer is 42.")
                .containsEntry("reasoning_content", "");

        chunks = List.of("Final.");
        reasoning = "provider reasoning";
        assertThat(node.execute(TestNodeContext.of(config("reasoning_format", "separated"))).outputs())
                .containsEntry("text", "Final.").containsEntry("reasoning_content", "provider reasoning");
        assertThat(node.execute(TestNodeContext.of(config())).outputs())
                .containsEntry("text", "<think>\nprovider reasoning\n</think>\nFinal.");
    }

    @Test
    void modelFailuresFailTheNodeWithTheirCode() {
        failure = new NonRetriableModelException.AuthenticationFailed("HTTP 401: bad key");
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config())))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("authentication_failed"))
                .hasMessageContaining("401");
    }

    @Test
    void validationNamesMissingParts() {
        assertThat(node.validate(Map.of("type", "llm"))).extracting(v -> v.path()).containsExactly("/prompt_template");
        assertThat(node.validate(Map.of("type", "llm", "model", "gpt-4", "prompt_template", List.of())))
                .extracting(v -> v.path()).containsExactly("/model");
        assertThat(node.validate(config())).isEmpty();
        assertThat(node.validate(config("prompt_config", Map.of("jinja2_variables", List.of(
                Map.of("variable", "ok", "value_selector", List.of("a", "b")), Map.of("value_selector", List.of("a", "b")))))))
                .extracting(v -> v.path()).containsExactly("/prompt_config/jinja2_variables/1");
    }
}
