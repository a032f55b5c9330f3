package dev.weft.node.knowledge.internal;

import dev.weft.api.core.Violation;
import dev.weft.api.core.WeftException;
import dev.weft.api.rag.KnowledgeRetrieval;
import dev.weft.api.rag.RetrievalQuery;
import dev.weft.api.rag.RetrievedChunk;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableSpec;
import dev.weft.spi.node.VariableType;
import dev.weft.spi.node.VariableView;
import dev.weft.spi.rag.MetadataFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code knowledge-retrieval}: finds the chunks of the workspace's knowledge bases that answer the
 * query variable, through the platform's {@link KnowledgeRetrieval} service, and outputs them as
 * {@code result}, Dify's array of chunk objects (see {@link Chunks}) that an LLM node takes as its
 * context.
 *
 * <p>How the configuration maps onto the retrieval is in {@link RetrievalSettings} (modes, top-k,
 * threshold, merge) and {@link MetadataConditions} (metadata filtering). An empty query gives an
 * empty result, as in Dify. A knowledge base that does not exist fails the node with
 * {@code dataset_not_found}, naming it.
 *
 * <p>The retrieval service is referenced optionally and dynamically, so that this node type stays
 * registered (and graphs using it validate) while the knowledge platform bundle is absent or being
 * updated; the field is read at each execution, never kept, and a run without the service fails
 * with {@code knowledge_unavailable}.
 */
@Component(service = NodeType.class)
public final class KnowledgeRetrievalNode implements NodeType {

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor("knowledge-retrieval", "1",
            "Knowledge Retrieval",
            "Finds the passages of knowledge bases that answer a query, for an LLM's context.", "knowledge",
            schema(), List.of(), List.of(new VariableSpec("result", VariableType.ARRAY_OBJECT,
                    "the chunks found, best first: content, title, metadata", true)));

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile KnowledgeRetrieval knowledge;

    /** For automatic metadata filtering: the model that writes the conditions. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile dev.weft.api.model.ModelRuntime models;

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        List<Violation> problems = new ArrayList<>();
        RetrievalSettings.read(config, problems);
        MetadataConditions.validate(config, problems);
        return problems;
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException {
        return execute(context, () -> knowledge, models);
    }

    /**
     * Executes with the retrieval service the supplier gives at the moment it is asked (null when
     * none is bound).
     */
    private static NodeResult empty(Map<String, Object> inputs, Map<String, Object> trace, List<String> notes) {
        trace.put("result_count", 0);
        if (!notes.isEmpty()) {
            trace.put("warnings", notes);
        }
        return NodeResult.of(Map.of("result", List.of())).withInputs(inputs).withProcessData(trace);
    }

    static NodeResult execute(NodeContext context, Supplier<KnowledgeRetrieval> service,
            dev.weft.api.model.ModelRuntime models) throws NodeException {
        Map<String, Object> config = context.config();
        List<Violation> problems = new ArrayList<>();
        RetrievalSettings.Plan plan = RetrievalSettings.read(config, problems);
        MetadataConditions.validate(config, problems);
        if (!problems.isEmpty()) {
            throw new NodeException("invalid_config", "the knowledge retrieval node's configuration is not valid: "
                    + problems.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        }
        if (context.isCancelled()) {
            throw new NodeException("stopped", "the run was stopped");
        }
        List<String> notes = new ArrayList<>(plan.notes());
        String query = plan.querySelector() == null ? "" : query(context.variables(), plan.querySelector());
        if (plan.querySelector() == null) {
            notes.add("the node has only an image query (query_attachment_selector); Weft does not search by image,"
                    + " so nothing was retrieved");
        }

        Map<String, Object> trace = new LinkedHashMap<>();
        trace.put("query", query);
        trace.put("dataset_ids", plan.datasetIds());
        trace.put("retrieval_mode", plan.retrievalMode());
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("query", query);

        if (query.isBlank()) {
            return empty(inputs, trace, notes);
        }

        KnowledgeRetrieval retrieval = service.get();
        // a Weft setting for the simple apps' knowledge: bases the workspace lacks are left out, as Dify does
        boolean skipMissing = "skip".equals(config.get("missing_datasets"));
        if (retrieval == null && skipMissing) {
            notes.add("the knowledge platform bundle is not active: nothing was retrieved");
            return empty(inputs, trace, notes);
        }
        if (retrieval == null) {
            throw new NodeException("knowledge_unavailable", "knowledge retrieval needs the knowledge platform bundle"
                    + " (dev.weft.platform.knowledge) installed and active, and it is not");
        }
        if (skipMissing) {
            List<String> existing;
            try {
                existing = retrieval.existing(context.workspaceId(), plan.datasetIds());
            } catch (WeftException e) {
                throw new NodeException(e.code(), "knowledge retrieval failed: " + e.getMessage(), e);
            }
            if (existing.size() < plan.datasetIds().size()) {
                notes.add("knowledge bases the workspace does not have were left out: " + plan.datasetIds().stream()
                        .filter(id -> !existing.contains(id)).collect(Collectors.joining(", ")));
            }
            if (existing.isEmpty()) {
                return empty(inputs, trace, notes);
            }
            plan = plan.withDatasetIds(existing);
        }
        MetadataFilter filter;
        if (MetadataConditions.mode(config).equals("automatic")) {
            Map<String, String> fields;
            try {
                fields = retrieval.metadataFields(context.workspaceId(), plan.datasetIds());
            } catch (WeftException e) {
                if ("dataset_not_found".equals(e.code())) {
                    throw new NodeException("dataset_not_found", missingDataset(plan.datasetIds(), e), e);
                }
                throw new NodeException(e.code(), "knowledge retrieval failed: " + e.getMessage(), e);
            }
            filter = AutomaticMetadata.filter(models, config, context.workspaceId(), context.runId(), context.nodeId(),
                    query, fields, notes);
        } else {
            filter = MetadataConditions.filter(config, context.variables(), notes);
        }
        RetrievalQuery request = new RetrievalQuery(context.workspaceId(), plan.datasetIds(), query, plan.topK(),
                plan.scoreThreshold(), plan.merge(), plan.rerankProvider(), plan.rerankModel(), plan.semanticWeight(),
                filter, context.runId(), context.nodeId());
        trace.put("merge", request.merge().name().toLowerCase(Locale.ROOT));
        trace.put("top_k", request.topK());
        trace.put("score_threshold", request.scoreThreshold());
        if (request.merge() == RetrievalQuery.Merge.RERANK_MODEL) {
            Map<String, Object> rerank = new LinkedHashMap<>();
            rerank.put("provider", request.rerankProvider());
            rerank.put("model", request.rerankModel());
            trace.put("reranking_model", rerank);
        }
        if (request.merge() == RetrievalQuery.Merge.WEIGHTED_SCORE) {
            trace.put("semantic_weight", request.semanticWeight());
        }
        trace.put("metadata_filtering_mode", MetadataConditions.mode(config));
        if (!filter.conditions().isEmpty()) {
            trace.put("metadata_filter", MetadataConditions.trace(filter));
        }

        List<RetrievedChunk> chunks;
        try {
            chunks = retrieval.retrieve(request);
        } catch (NodeException e) {
            throw e;
        } catch (WeftException e) {
            if ("dataset_not_found".equals(e.code()) && skipMissing) {
                // deleted since it was looked up: as if it had been missing then
                notes.add("a knowledge base was deleted during the search: nothing was retrieved");
                return empty(inputs, trace, notes);
            }
            if ("dataset_not_found".equals(e.code())) {
                throw new NodeException("dataset_not_found", missingDataset(plan.datasetIds(), e), e);
            }
            throw new NodeException(e.code(), "knowledge retrieval failed: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new NodeException("invalid_param", "knowledge retrieval failed: " + e.getMessage(), e);
        }

        Map<String, Object> byDataset = new LinkedHashMap<>();
        plan.datasetIds().forEach(id -> byDataset.put(id, 0));
        for (RetrievedChunk chunk : chunks) {
            if (chunk.knowledgeBaseId() != null) {
                byDataset.merge(chunk.knowledgeBaseId(), 1, (a, b) -> (Integer) a + (Integer) b);
            }
        }
        trace.put("result_count", chunks.size());
        trace.put("results_by_dataset", byDataset);
        if (!notes.isEmpty()) {
            trace.put("warnings", notes);
        }
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("result", Chunks.toDify(chunks));
        return NodeResult.of(outputs).withInputs(inputs).withProcessData(trace);
    }

    /**
     * The query's text: empty when the variable is missing or null; numbers and booleans as text.
     * A selector written as older Dify files write system variables, {@code [start node, "sys.query"]},
     * is read as {@code sys.query} when the start node holds no such variable.
     */
    static String query(VariableView variables, VariableSelector selector) throws NodeException {
        Optional<Object> found = variables.get(selector);
        if (found.isEmpty() && selector.name().startsWith("sys.") && selector.name().length() > 4) {
            List<String> parts = new ArrayList<>();
            parts.add("sys");
            parts.add(selector.name().substring(4));
            parts.addAll(selector.path());
            found = variables.get(new VariableSelector(parts));
        }
        Object value = found.orElse(null);
        if (value == null) {
            return "";
        }
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        throw new NodeException("invalid_query", "the query variable " + selector + " must hold text, not "
                + (value instanceof List<?> ? "a list" : value instanceof Map<?, ?> ? "an object" : "a file"));
    }

    private static String missingDataset(List<String> ids, WeftException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        List<String> named = ids.stream().filter(message::contains).toList();
        if (named.size() == 1) {
            return "the knowledge base " + named.get(0) + " in dataset_ids does not exist in this workspace";
        }
        return "a knowledge base in dataset_ids (" + String.join(", ", ids) + ") does not exist in this workspace: "
                + message;
    }

    private static Map<String, Object> schema() {
        Map<String, Object> selector = Map.of("type", "array", "items", Map.of("type", "string"));
        Map<String, Object> weights = Map.of("type", "object", "properties", Map.of(
                "vector_setting", Map.of("type", "object", "properties", Map.of(
                        "vector_weight", Map.of("type", "number", "minimum", 0, "maximum", 1),
                        "embedding_provider_name", Map.of("type", "string"),
                        "embedding_model_name", Map.of("type", "string"))),
                "keyword_setting", Map.of("type", "object", "properties", Map.of(
                        "keyword_weight", Map.of("type", "number", "minimum", 0, "maximum", 1)))));
        Map<String, Object> multiple = Map.of("type", "object", "properties", Map.of(
                "top_k", Map.of("type", "integer", "minimum", 1),
                "score_threshold", Map.of("type", List.of("number", "null"), "minimum", 0, "maximum", 1),
                "reranking_enable", Map.of("type", "boolean"),
                "reranking_mode", Map.of("type", "string", "enum", RetrievalSettings.RERANKING_MODES),
                "reranking_model", Map.of("type", "object", "properties", Map.of(
                        "provider", Map.of("type", "string"), "model", Map.of("type", "string"))),
                "weights", weights));
        List<String> operators = java.util.Arrays.stream(MetadataFilter.Operator.values())
                .map(MetadataFilter.Operator::wireName).toList();
        Map<String, Object> conditions = Map.of("type", "object", "properties", Map.of(
                "logical_operator", Map.of("type", "string", "enum", List.of("and", "or")),
                "conditions", Map.of("type", "array", "items", Map.of("type", "object",
                        "required", List.of("name", "comparison_operator"), "properties", Map.of(
                                "name", Map.of("type", "string"),
                                "comparison_operator", Map.of("type", "string", "enum", operators),
                                "value", Map.of("type", List.of("string", "number", "null")))))));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("query_variable_selector", selector);
        properties.put("query_attachment_selector", selector);
        properties.put("dataset_ids", Map.of("type", "array", "minItems", 1, "items", Map.of("type", "string")));
        properties.put("retrieval_mode", Map.of("type", "string", "enum", RetrievalSettings.RETRIEVAL_MODES));
        properties.put("multiple_retrieval_config", multiple);
        properties.put("single_retrieval_config", Map.of("type", "object"));
        properties.put("metadata_filtering_mode", Map.of("type", "string", "enum", RetrievalSettings.FILTERING_MODES));
        properties.put("metadata_filtering_conditions", conditions);
        properties.put("metadata_model_config", Map.of("type", "object"));
        // Weft's: "skip" leaves out the bases the workspace does not have (the simple apps' knowledge does)
        properties.put("missing_datasets", Map.of("type", "string", "enum", List.of("fail", "skip")));
        properties.put("vision", Map.of("type", "object"));
        return Map.of("type", "object", "required", List.of("dataset_ids"), "properties", properties);
    }
}
