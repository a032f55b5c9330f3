package dev.weft.node.knowledge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.weft.api.core.WeftException;
import dev.weft.api.rag.KnowledgeRetrieval;
import dev.weft.api.rag.RetrievalQuery;
import dev.weft.api.rag.RetrievalQuery.Merge;
import dev.weft.api.rag.RetrievedChunk;
import dev.weft.node.testing.TestNodeContext;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.rag.MetadataFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The knowledge-retrieval node against a double of the platform's retrieval service: the query it
 * builds from real Dify node configurations, the result's shape, and its failures.
 */
class KnowledgeRetrievalNodeTest {

    /**
     * The {@code data} of node 1711528915811 in corpus file dify-dsl/dev/265d3749e89b.yml: two
     * knowledge bases, multiple mode, weighted score configured but reranking off, and the query
     * selector written the old way, {@code [start node, sys.query]}.
     */
    static final String CORPUS_WEIGHTED_OFF = """
            dataset_ids:
            - onRvtjCq4xN0NhHq9ea5KuhS+OSDQMWTeo/Cas0if0lZxlVkMB633n1smihH4oHe
            - ee/Yrb1M1b7Kivrc2E17cMtyZTfoFDSdh+yV+TFwd6U82Vr++9fyuvZ+VjafUe6i
            desc: Search your knowledge base to find the most relevant content for user's
              question.
            multiple_retrieval_config:
              reranking_enable: false
              reranking_mode: weighted_score
              score_threshold: null
              top_k: 5
              weights:
                keyword_setting:
                  keyword_weight: 0
                vector_setting:
                  embedding_model_name: gemini-embedding-001
                  embedding_provider_name: langgenius/gemini/google
                  vector_weight: 1
                weight_type: customized
            query_attachment_selector: []
            query_variable_selector:
            - '1711528914102'
            - sys.query
            retrieval_mode: multiple
            selected: false
            single_retrieval_config:
              model:
                completion_params:
                  frequency_penalty: 0
                  max_tokens: 512
                  presence_penalty: 0
                  temperature: 0
                  top_p: 1
                mode: chat
                name: gpt-3.5-turbo
                provider: openai
            title: 🌟 Knowledge Retrieval
            type: knowledge-retrieval
            """;

    /**
     * The {@code data} of node 1720800677771 in corpus file dify-dsl/dev/68300b692a81.yml: multiple
     * mode with a rerank model and neither reranking_enable nor reranking_mode, so Dify's defaults
     * (true, reranking_model) apply.
     */
    static final String CORPUS_RERANK_DEFAULTS = """
            dataset_ids:
            - 8c4620fa-15d7-464f-9cb9-561f1a59eb3f
            desc: ''
            multiple_retrieval_config:
              reranking_model:
                model: rerank-multilingual-v2.0
                provider: cohere
              score_threshold: null
              top_k: 2
            query_variable_selector:
            - '1720794829558'
            - input
            retrieval_mode: multiple
            selected: false
            single_retrieval_config:
              model:
                completion_params: {}
                mode: chat
                name: gpt-3.5-turbo-0125
                provider: openai
            title: Knowledge Retrieval 2
            type: knowledge-retrieval
            """;

    /** The {@code data} of node 1720800425522 in the same file: single mode, one knowledge base. */
    static final String CORPUS_SINGLE = """
            dataset_ids:
            - 8c4620fa-15d7-464f-9cb9-561f1a59eb3f
            desc: ''
            multiple_retrieval_config:
              reranking_model:
                model: rerank-english-v3.0
                provider: cohere
              top_k: 2
            query_variable_selector:
            - '1720794829558'
            - input
            retrieval_mode: single
            selected: false
            single_retrieval_config:
              model:
                completion_params: {}
                mode: chat
                name: gpt-3.5-turbo-0125
                provider: openai
            title: Knowledge Retrieval
            type: knowledge-retrieval
            """;

    /** What the service double was asked, in order. */
    final List<RetrievalQuery> queries = new ArrayList<>();
    List<RetrievedChunk> answer = List.of();
    WeftException failure;

    /** The metadata fields the searched bases share, as the service double reports them. */
    Map<String, String> fields = Map.of("document_name", "string", "author", "string", "year", "number");

    final KnowledgeRetrieval service = new KnowledgeRetrieval() {
        @Override
        public List<RetrievedChunk> retrieve(RetrievalQuery query) throws WeftException {
            queries.add(query);
            if (failure != null) {
                throw failure;
            }
            return answer;
        }

        @Override
        public Map<String, String> metadataFields(String workspaceId, List<String> knowledgeBaseIds) {
            for (String id : knowledgeBaseIds) {
                if (missing.contains(id)) {
                    throw new WeftException("dataset_not_found", "no knowledge base " + id + " in this workspace");
                }
            }
            return fields;
        }
    };

    /** Knowledge bases the service double says the workspace does not have. */
    final java.util.Set<String> missing = new java.util.HashSet<>();

    final KnowledgeRetrievalNode node = new KnowledgeRetrievalNode();

    KnowledgeRetrievalNodeTest() {
        node.knowledge = service;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String text) {
        return new Yaml().loadAs(text, Map.class);
    }

    static Map<String, Object> with(Map<String, Object> config, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(config);
        copy.put(key, value);
        return copy;
    }

    static RetrievedChunk chunk(String base, String baseName, String segment, int position, String content, double score) {
        return new RetrievedChunk(base, baseName, "doc-" + segment, "Handbook.md", segment, position, content, score,
                List.of(), Map.of("source", "upload_file", "author", "Ada"));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> result(NodeResult result) {
        return (List<Map<String, Object>>) result.outputs().get("result");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metadata(Map<String, Object> item) {
        return (Map<String, Object>) item.get("metadata");
    }

    // ------------------------------------------------------------------ corpus configurations

    @Test
    void corpusWeightedScoreWithRerankingOffSearchesEachBaseBySettingsAndReadsTheOldSysSelector() throws Exception {
        Map<String, Object> config = yaml(CORPUS_WEIGHTED_OFF);
        assertThat(node.validate(config)).isEmpty();

        NodeResult result = node.execute(TestNodeContext.of("1711528915811", config)
                .with("sys.query", "How do I reset my password?"));

        assertThat(queries).hasSize(1);
        RetrievalQuery query = queries.get(0);
        assertThat(query.workspaceId()).isEqualTo("workspace-1");
        assertThat(query.knowledgeBaseIds()).containsExactly(
                "onRvtjCq4xN0NhHq9ea5KuhS+OSDQMWTeo/Cas0if0lZxlVkMB633n1smihH4oHe",
                "ee/Yrb1M1b7Kivrc2E17cMtyZTfoFDSdh+yV+TFwd6U82Vr++9fyuvZ+VjafUe6i");
        assertThat(query.query()).isEqualTo("How do I reset my password?");
        assertThat(query.topK()).isEqualTo(5);
        assertThat(query.scoreThreshold()).isNull();
        assertThat(query.merge()).isEqualTo(Merge.DEFAULT);
        assertThat(query.rerankModel()).isNull();
        assertThat(query.filter()).isEqualTo(MetadataFilter.NONE);
        assertThat(query.runId()).isEqualTo("run-1");
        assertThat(query.nodeId()).isEqualTo("1711528915811");
        assertThat(result.inputs()).containsEntry("query", "How do I reset my password?");
        assertThat(result.processData()).containsEntry("merge", "default").containsEntry("top_k", 5)
                .containsEntry("retrieval_mode", "multiple");
        assertThat((List<?>) result.processData().get("warnings")).singleElement().asString()
                .contains("reranking_enable is false").contains("weights");
    }

    @Test
    void corpusWeightedScoreWithRerankingOnMergesByTheWeights() throws Exception {
        Map<String, Object> config = yaml(CORPUS_WEIGHTED_OFF);
        @SuppressWarnings("unchecked")
        Map<String, Object> multiple = new LinkedHashMap<>((Map<String, Object>) config.get("multiple_retrieval_config"));
        multiple.put("reranking_enable", true);
        multiple.put("weights", Map.of("vector_setting", Map.of("vector_weight", 0.7), "keyword_setting",
                Map.of("keyword_weight", 0.3)));
        config = with(config, "multiple_retrieval_config", multiple);

        NodeResult result = node.execute(TestNodeContext.of(config).with("sys.query", "refund policy"));

        RetrievalQuery query = queries.get(0);
        assertThat(query.merge()).isEqualTo(Merge.WEIGHTED_SCORE);
        assertThat(query.semanticWeight()).isCloseTo(0.7, within(1e-9));
        assertThat(result.processData()).containsEntry("merge", "weighted_score");
        assertThat((Double) result.processData().get("semantic_weight")).isCloseTo(0.7, within(1e-9));
    }

    @Test
    void weightsThatDoNotAddUpToOneAreNormalised() throws Exception {
        Map<String, Object> config = with(yaml(CORPUS_WEIGHTED_OFF), "multiple_retrieval_config", Map.of("top_k", 3,
                "reranking_enable", true, "reranking_mode", "weighted_score", "weights", Map.of(
                        "vector_setting", Map.of("vector_weight", 0.6), "keyword_setting", Map.of("keyword_weight", 0.6))));

        node.execute(TestNodeContext.of(config).with("sys.query", "q"));

        assertThat(queries.get(0).semanticWeight()).isCloseTo(0.5, within(1e-9));
        assertThat(queries.get(0).topK()).isEqualTo(3);
    }

    @Test
    void corpusRerankModelWithDifyDefaultsMergesByTheModel() throws Exception {
        Map<String, Object> config = yaml(CORPUS_RERANK_DEFAULTS);
        assertThat(node.validate(config)).isEmpty();

        NodeResult result = node.execute(TestNodeContext.of("1720800677771", config)
                .with("1720794829558.input", "¿Qué es Weft?"));

        RetrievalQuery query = queries.get(0);
        assertThat(query.knowledgeBaseIds()).containsExactly("8c4620fa-15d7-464f-9cb9-561f1a59eb3f");
        assertThat(query.query()).isEqualTo("¿Qué es Weft?");
        assertThat(query.topK()).isEqualTo(2);
        assertThat(query.scoreThreshold()).isNull();
        assertThat(query.merge()).isEqualTo(Merge.RERANK_MODEL);
        assertThat(query.rerankProvider()).isEqualTo("cohere");
        assertThat(query.rerankModel()).isEqualTo("rerank-multilingual-v2.0");
        assertThat(result.processData()).containsEntry("merge", "rerank_model")
                .containsEntry("reranking_model", Map.of("provider", "cohere", "model", "rerank-multilingual-v2.0"));
        assertThat(result.processData()).doesNotContainKey("warnings");
    }

    @Test
    void corpusSingleModeWithOneBaseSearchesItBySettings() throws Exception {
        Map<String, Object> config = yaml(CORPUS_SINGLE);
        assertThat(node.validate(config)).isEmpty();

        NodeResult result = node.execute(TestNodeContext.of(config).with("1720794829558.input", "pricing"));

        RetrievalQuery query = queries.get(0);
        assertThat(query.merge()).isEqualTo(Merge.DEFAULT);
        assertThat(query.rerankModel()).isNull();
        assertThat(query.topK()).isEqualTo(2);
        assertThat(result.processData()).containsEntry("retrieval_mode", "single");
        assertThat((List<?>) result.processData().get("warnings")).singleElement().asString()
                .contains("single retrieval mode with one knowledge base");
    }

    @Test
    void singleModeWithSeveralBasesTakesTheMultiplePathAndSaysSo() throws Exception {
        Map<String, Object> config = with(yaml(CORPUS_SINGLE), "dataset_ids", List.of("kb-a", "kb-b"));

        NodeResult result = node.execute(TestNodeContext.of(config).with("1720794829558.input", "pricing"));

        RetrievalQuery query = queries.get(0);
        assertThat(query.knowledgeBaseIds()).containsExactly("kb-a", "kb-b");
        assertThat(query.merge()).isEqualTo(Merge.RERANK_MODEL);
        assertThat(query.rerankModel()).isEqualTo("rerank-english-v3.0");
        assertThat((List<?>) result.processData().get("warnings")).singleElement().asString()
                .contains("searched all 2");
    }

    @Test
    void reciprocalRankAndMissingRerankModelAndThreshold() throws Exception {
        Map<String, Object> base = yaml(CORPUS_RERANK_DEFAULTS);
        node.execute(TestNodeContext.of(with(base, "multiple_retrieval_config", Map.of("top_k", 6,
                "reranking_mode", "reciprocal_rank", "score_threshold", 0.35))).with("1720794829558.input", "q"));
        NodeResult noModel = node.execute(TestNodeContext.of(with(base, "multiple_retrieval_config", Map.of("top_k", 6,
                "reranking_enable", true, "reranking_mode", "reranking_model"))).with("1720794829558.input", "q"));
        node.execute(TestNodeContext.of(with(base, "multiple_retrieval_config", Map.of("top_k", 6,
                "reranking_enable", false, "reranking_mode", "reranking_model",
                "reranking_model", Map.of("provider", "cohere", "model", "rerank-english-v3.0"))))
                .with("1720794829558.input", "q"));
        node.execute(TestNodeContext.of(with(base, "multiple_retrieval_config", null)).with("1720794829558.input", "q"));

        assertThat(queries.get(0).merge()).isEqualTo(Merge.RECIPROCAL_RANK);
        assertThat(queries.get(0).scoreThreshold()).isEqualTo(0.35);
        assertThat(queries.get(0).topK()).isEqualTo(6);
        assertThat(queries.get(1).merge()).isEqualTo(Merge.DEFAULT);
        assertThat((List<?>) noModel.processData().get("warnings")).singleElement().asString()
                .contains("no rerank model");
        assertThat(queries.get(2).merge()).isEqualTo(Merge.DEFAULT);
        assertThat(queries.get(2).rerankModel()).isNull();
        assertThat(queries.get(3).topK()).isEqualTo(RetrievalSettings.DEFAULT_TOP_K);
        assertThat(queries.get(3).merge()).isEqualTo(Merge.DEFAULT);
    }

    // ------------------------------------------------------------------ the result

    @Test
    void resultHoldsDifyChunkObjectsBestFirstAsTheLlmContextReadsThem() throws Exception {
        RetrievedChunk parent = new RetrievedChunk("kb-1", "Support", "doc-9", "FAQ.md", "seg-9", 4,
                "Parent text about refunds.", 0.81, List.of(new RetrievedChunk.Child("child-1", 0, "refunds", 0.81)),
                Map.of());
        answer = List.of(chunk("kb-1", "Support", "seg-1", 0, "Reset it from the login page.", 0.92), parent);
        Map<String, Object> config = yaml(CORPUS_RERANK_DEFAULTS);

        NodeResult result = node.execute(TestNodeContext.of(config).with("1720794829558.input", "reset"));

        List<Map<String, Object>> items = result(result);
        assertThat(items).hasSize(2);
        Map<String, Object> first = items.get(0);
        assertThat(first).containsOnlyKeys("metadata", "title", "content");
        assertThat(first).containsEntry("content", "Reset it from the login page.").containsEntry("title", "Handbook.md");
        assertThat(metadata(first))
                .containsEntry("_source", "knowledge")
                .containsEntry("dataset_id", "kb-1")
                .containsEntry("dataset_name", "Support")
                .containsEntry("document_id", "doc-seg-1")
                .containsEntry("document_name", "Handbook.md")
                .containsEntry("data_source_type", "upload_file")
                .containsEntry("segment_id", "seg-1")
                .containsEntry("retriever_from", "workflow")
                .containsEntry("score", 0.92)
                .containsEntry("segment_position", 1)
                .containsEntry("position", 1)
                .containsEntry("child_chunks", List.of())
                .containsEntry("doc_metadata", Map.of("source", "upload_file", "author", "Ada"));
        Map<String, Object> second = items.get(1);
        assertThat(second).containsEntry("content", "Parent text about refunds.").containsEntry("title", "FAQ.md");
        assertThat(metadata(second)).containsEntry("position", 2).containsEntry("segment_position", 5)
                .containsEntry("doc_metadata", null).containsEntry("data_source_type", null)
                .containsEntry("child_chunks", List.of(Map.of("id", "child-1", "content", "refunds", "position", 1,
                        "score", 0.81)));

        // what the LLM node's context (Prompts.context) takes: each item's content, joined by new lines
        String context = String.join("\n", items.stream().map(i -> (String) i.get("content")).toList());
        assertThat(context).isEqualTo("Reset it from the login page.\nParent text about refunds.");

        assertThat(result.processData()).containsEntry("result_count", 2)
                .containsEntry("results_by_dataset", Map.of("8c4620fa-15d7-464f-9cb9-561f1a59eb3f", 0, "kb-1", 2))
                .containsEntry("query", "reset")
                .containsEntry("dataset_ids", List.of("8c4620fa-15d7-464f-9cb9-561f1a59eb3f"));
        assertThat(node.descriptor().outputs()).singleElement()
                .satisfies(spec -> assertThat(spec.type().wireName()).isEqualTo("array[object]"));
    }

    @Test
    void emptyOrMissingQueryGivesAnEmptyResultWithoutSearching() throws Exception {
        Map<String, Object> config = yaml(CORPUS_RERANK_DEFAULTS);

        NodeResult empty = node.execute(TestNodeContext.of(config).with("1720794829558.input", ""));
        NodeResult missing = node.execute(TestNodeContext.of(config));
        node.knowledge = null;
        NodeResult noServiceNeeded = node.execute(TestNodeContext.of(config).with("1720794829558.input", "  "));

        assertThat(queries).isEmpty();
        assertThat(result(empty)).isEmpty();
        assertThat(result(missing)).isEmpty();
        assertThat(result(noServiceNeeded)).isEmpty();
        assertThat(empty.processData()).containsEntry("result_count", 0);
    }

    @Test
    void numbersAreQueriedAsTextAndObjectsAreRefused() throws Exception {
        Map<String, Object> config = yaml(CORPUS_RERANK_DEFAULTS);
        node.execute(TestNodeContext.of(config).with("1720794829558.input", 42));
        assertThat(queries.get(0).query()).isEqualTo("42");

        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config).with("1720794829558.input", List.of("a"))))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_query");
                    assertThat(e.getMessage()).contains("1720794829558.input").contains("list");
                });
    }

    // ------------------------------------------------------------------ failures

    @Test
    void withMissingDatasetsSkippedTheBasesTheWorkspaceLacksAreLeftOut() throws Exception {
        Map<String, Object> config = with(yaml(CORPUS_WEIGHTED_OFF), "missing_datasets", "skip");
        assertThat(node.validate(config)).isEmpty();
        missing.add("onRvtjCq4xN0NhHq9ea5KuhS+OSDQMWTeo/Cas0if0lZxlVkMB633n1smihH4oHe");

        NodeResult result = node.execute(TestNodeContext.of(config).with("sys.query", "hello"));
        assertThat(queries).singleElement().satisfies(query -> assertThat(query.knowledgeBaseIds())
                .containsExactly("ee/Yrb1M1b7Kivrc2E17cMtyZTfoFDSdh+yV+TFwd6U82Vr++9fyuvZ+VjafUe6i"));
        assertThat(result.processData().get("warnings").toString()).contains("left out");

        missing.add("ee/Yrb1M1b7Kivrc2E17cMtyZTfoFDSdh+yV+TFwd6U82Vr++9fyuvZ+VjafUe6i");
        NodeResult none = node.execute(TestNodeContext.of(config).with("sys.query", "hello"));
        assertThat(result(none)).isEmpty();
        assertThat(queries).hasSize(1);
        // one deleted between the look-up and the search: nothing, not a failed run
        missing.clear();
        failure = new WeftException("dataset_not_found", "no knowledge base x in this workspace");
        assertThat(result(node.execute(TestNodeContext.of(config).with("sys.query", "hello")))).isEmpty();
    }

    @Test
    void aMissingKnowledgeBaseFailsTheNodeNamingIt() {
        failure = new WeftException("dataset_not_found",
                "no knowledge base ee/Yrb1M1b7Kivrc2E17cMtyZTfoFDSdh+yV+TFwd6U82Vr++9fyuvZ+VjafUe6i in this workspace");
        Map<String, Object> config = yaml(CORPUS_WEIGHTED_OFF);

        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config).with("sys.query", "hello")))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.code()).isEqualTo("dataset_not_found");
                    assertThat(e.getMessage()).isEqualTo("the knowledge base "
                            + "ee/Yrb1M1b7Kivrc2E17cMtyZTfoFDSdh+yV+TFwd6U82Vr++9fyuvZ+VjafUe6i"
                            + " in dataset_ids does not exist in this workspace");
                    assertThat(e.getCause()).isSameAs(failure);
                });
    }

    @Test
    void otherServiceFailuresKeepTheirCode() {
        failure = new WeftException("invalid_param", "metadata key 'year' is not a field of knowledge base Docs");
        Map<String, Object> config = yaml(CORPUS_RERANK_DEFAULTS);

        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config).with("1720794829558.input", "hello")))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_param");
                    assertThat(e.getMessage()).contains("metadata key 'year'");
                });
    }

    @Test
    void withoutTheServiceTheNodeFailsClearly() {
        node.knowledge = null;
        Map<String, Object> config = yaml(CORPUS_RERANK_DEFAULTS);

        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config).with("1720794829558.input", "hello")))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.code()).isEqualTo("knowledge_unavailable");
                    assertThat(e.getMessage()).contains("dev.weft.platform.knowledge");
                });
    }

    @Test
    void theServiceIsLookedUpAtEachExecution() throws Exception {
        Map<String, Object> config = yaml(CORPUS_RERANK_DEFAULTS);
        node.knowledge = null;
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config).with("1720794829558.input", "a")))
                .isInstanceOf(NodeException.class);

        node.knowledge = service;
        node.execute(TestNodeContext.of(config).with("1720794829558.input", "b"));

        assertThat(queries).extracting(RetrievalQuery::query).containsExactly("b");
    }

    @Test
    void anInvalidConfigurationFailsBeforeSearching() {
        Map<String, Object> config = with(yaml(CORPUS_RERANK_DEFAULTS), "retrieval_mode", "router");

        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config).with("1720794829558.input", "hello")))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_config");
                    assertThat(e.getMessage()).contains("/retrieval_mode");
                });
        assertThat(queries).isEmpty();
    }

    @Test
    void aStoppedRunDoesNotSearch() {
        Map<String, Object> config = yaml(CORPUS_RERANK_DEFAULTS);

        assertThatThrownBy(() -> node.execute(TestNodeContext.of(config).with("1720794829558.input", "hello").cancel()))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.code()).isEqualTo("stopped"));
        assertThat(queries).isEmpty();
    }

    /** A model double that answers every chat with the text given, and remembers what it was asked. */
    static final class WritingModel implements dev.weft.api.model.ModelRuntime {
        final List<dev.weft.spi.model.ChatRequest> asked = new ArrayList<>();
        final String text;
        final dev.weft.spi.model.ModelException failure;

        WritingModel(String text, dev.weft.spi.model.ModelException failure) {
            this.text = text;
            this.failure = failure;
        }

        @Override
        public dev.weft.api.model.ModelResult chat(dev.weft.api.model.ModelCall call, dev.weft.spi.model.ChatRequest request)
                throws dev.weft.spi.model.ModelException {
            asked.add(request);
            if (failure != null) {
                throw failure;
            }
            return new dev.weft.api.model.ModelResult(new dev.weft.spi.model.ChatResponse(
                    dev.weft.spi.model.ChatMessage.Assistant.of(text), dev.weft.spi.model.FinishReason.STOP,
                    dev.weft.spi.model.Usage.NONE, call.model()), call.provider(), call.model(), List.of(), 1);
        }

        @Override
        public dev.weft.api.model.ModelResult stream(dev.weft.api.model.ModelCall call, dev.weft.spi.model.ChatRequest request,
                java.util.function.Consumer<dev.weft.spi.model.ChatEvent> sink) throws dev.weft.spi.model.ModelException {
            return chat(call, request);
        }

        @Override
        public dev.weft.spi.model.EmbeddingResponse embed(dev.weft.api.model.ModelCall call,
                dev.weft.spi.model.EmbeddingRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.weft.spi.model.RerankResponse rerank(dev.weft.api.model.ModelCall call,
                dev.weft.spi.model.RerankRequest request) {
            throw new UnsupportedOperationException();
        }
    }

    static Map<String, Object> automatic(Map<String, Object> config) {
        Map<String, Object> copy = with(config, "metadata_filtering_mode", "automatic");
        copy.put("metadata_model_config", Map.of("provider", "openai", "name", "gpt-4o-mini", "mode", "chat",
                "completion_params", Map.of()));
        return copy;
    }

    @Test
    void automaticMetadataFilteringHasTheModelWriteConditionsOnTheSharedFieldsOnly() throws Exception {
        WritingModel model = new WritingModel("""
                Here: [{"name": "author", "comparison_operator": "is", "value": "Ada"},
                 {"name": "year", "comparison_operator": ">", "value": "2020"},
                 {"name": "tenant_id", "comparison_operator": "is", "value": "B"},
                 {"name": "author", "comparison_operator": ">", "value": 1}]""", null);
        node.models = model;

        NodeResult result = node.execute(TestNodeContext.of(automatic(yaml(CORPUS_RERANK_DEFAULTS)))
                .with("1720794829558.input", "papers by Ada after 2020"));

        MetadataFilter filter = queries.get(0).filter();
        assertThat(filter.logic()).isEqualTo(MetadataFilter.Logic.AND);
        assertThat(filter.conditions()).containsExactly(
                new MetadataFilter.Condition("author", MetadataFilter.Operator.IS, "Ada"),
                new MetadataFilter.Condition("year", MetadataFilter.Operator.GREATER_THAN, 2020.0));
        String asked = model.asked.get(0).messages().toString();
        assertThat(asked).contains("author (string)").contains("year (number)").contains("papers by Ada after 2020");
        assertThat(result.processData()).containsKey("metadata_filter");
        assertThat(result.processData().get("warnings").toString()).contains("tenant_id")
                .contains("not a metadata field").contains("does not apply");
    }

    @Test
    void automaticMetadataFilteringWithoutAModelOrAnAnswerSearchesUnfilteredAndSaysWhy() throws Exception {
        node.models = new WritingModel(null, new dev.weft.spi.model.RetriableModelException.Unavailable("down", null));
        NodeResult failed = node.execute(TestNodeContext.of(automatic(yaml(CORPUS_RERANK_DEFAULTS)))
                .with("1720794829558.input", "hello"));
        assertThat(queries.get(0).filter()).isEqualTo(MetadataFilter.NONE);
        assertThat(failed.processData().get("warnings").toString()).contains("could not write metadata conditions");

        node.models = new WritingModel("no conditions here", null);
        NodeResult prose = node.execute(TestNodeContext.of(automatic(yaml(CORPUS_RERANK_DEFAULTS)))
                .with("1720794829558.input", "hello"));
        assertThat(queries.get(1).filter()).isEqualTo(MetadataFilter.NONE);
        assertThat(prose.processData().get("warnings").toString()).contains("not a JSON array");

        Map<String, Object> noModel = with(yaml(CORPUS_RERANK_DEFAULTS), "metadata_filtering_mode", "automatic");
        noModel.remove("metadata_model_config");
        NodeResult unset = node.execute(TestNodeContext.of(noModel).with("1720794829558.input", "hello"));
        assertThat(queries.get(2).filter()).isEqualTo(MetadataFilter.NONE);
        assertThat(unset.processData().get("warnings").toString()).contains("metadata_model_config");
    }

    @Test
    void manualMetadataFilterReachesTheServiceAndTheTrace() throws Exception {
        Map<String, Object> config = yaml(CORPUS_RERANK_DEFAULTS + """
                metadata_filtering_mode: manual
                metadata_filtering_conditions:
                  logical_operator: or
                  conditions:
                  - name: author
                    comparison_operator: is
                    value: '{{#start.author#}}'
                  - name: year
                    comparison_operator: ≥
                    value: '2020'
                """);
        assertThat(node.validate(config)).isEmpty();

        NodeResult result = node.execute(TestNodeContext.of(config).with("1720794829558.input", "hello")
                .with("start.author", "Ada"));

        MetadataFilter filter = queries.get(0).filter();
        assertThat(filter.logic()).isEqualTo(MetadataFilter.Logic.OR);
        assertThat(filter.conditions()).containsExactly(
                new MetadataFilter.Condition("author", MetadataFilter.Operator.IS, "Ada"),
                new MetadataFilter.Condition("year", MetadataFilter.Operator.GREATER_OR_EQUAL, 2020L));
        assertThat(result.processData()).containsEntry("metadata_filter", Map.of("logical_operator", "or",
                "conditions", List.of(Map.of("name", "author", "comparison_operator", "is", "value", "Ada"),
                        Map.of("name", "year", "comparison_operator", "≥", "value", 2020L))));
    }
}
