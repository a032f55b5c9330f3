package dev.weft.web.internal.knowledge;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.weft.api.rag.RetrievedChunk;
import dev.weft.platform.store.KnowledgeRepository.Counts;
import dev.weft.platform.store.KnowledgeRepository.Document;
import dev.weft.platform.store.KnowledgeRepository.KnowledgeBase;
import dev.weft.platform.store.KnowledgeRepository.Segment;
import dev.weft.web.internal.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Knowledge bases, documents and chunks in the shapes of Dify's console and service APIs (its
 * dataset, document and segment objects), with Weft's own fields next to them.
 */
final class Shapes {

    private Shapes() {
    }

    /** Dify's dataset object. */
    static Map<String, Object> dataset(KnowledgeBase base, Counts counts) {
        Map<String, Object> fields = object(base.metadataFieldsJson());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", base.id());
        out.put("name", base.name());
        out.put("description", base.description());
        out.put("provider", "vendor");
        out.put("permission", "only_me");
        out.put("data_source_type", null);
        out.put("indexing_technique", base.indexingTechnique());
        out.put("app_count", 0);
        out.put("document_count", counts.documents());
        out.put("total_available_documents", counts.indexed());
        out.put("word_count", counts.characters());
        out.put("created_by", null);
        out.put("created_at", seconds(base.createdAt()));
        out.put("updated_by", null);
        out.put("updated_at", seconds(base.updatedAt()));
        out.put("embedding_model", base.embeddingModel());
        out.put("embedding_model_provider", base.embeddingProvider());
        out.put("embedding_available", true);
        out.put("retrieval_model_dict", object(base.retrievalModelJson()));
        out.put("process_rule", object(base.processRuleJson()));
        out.put("tags", List.of());
        out.put("doc_form", base.docForm());
        out.put("external_knowledge_info", null);
        List<Map<String, Object>> metadata = new ArrayList<>();
        fields.forEach((name, type) -> metadata.add(Map.of("id", name, "name", name, "type", String.valueOf(type))));
        out.put("doc_metadata", metadata);
        out.put("built_in_field_enabled", true);
        // Weft's own
        out.put("language", base.language());
        out.put("metadata_fields", fields);
        out.put("dimensions", base.dimensions());
        return out;
    }

    /** Dify's document object; {@code base} gives the metadata fields' types and the doc form. */
    static Map<String, Object> document(Document document, KnowledgeBase base) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", document.id());
        out.put("position", document.position());
        out.put("data_source_type", sourceType(document.source()));
        Map<String, Object> info = new LinkedHashMap<>();
        if ("upload".equals(document.source())) {
            info.put("upload_file", Map.of("name", document.name(), "size", document.sizeBytes(),
                    "extension", document.mediaType() == null ? "" : document.mediaType()));
        }
        out.put("data_source_info", info);
        out.put("name", document.name());
        out.put("created_from", "web");
        out.put("created_by", null);
        out.put("created_at", seconds(document.createdAt()));
        out.put("updated_at", seconds(document.updatedAt()));
        out.put("tokens", document.tokens());
        out.put("indexing_status", document.status());
        out.put("display_status", displayStatus(document));
        out.put("error", document.error());
        out.put("enabled", document.enabled());
        out.put("disabled_at", null);
        out.put("archived", false);
        out.put("word_count", document.characters());
        out.put("segment_count", document.chunks());
        out.put("completed_segments", document.chunksDone());
        out.put("total_segments", document.chunks());
        out.put("doc_form", base == null ? null : base.docForm());
        out.put("doc_metadata", docMetadata(object(document.metadataJson()),
                base == null ? Map.of() : object(base.metadataFieldsJson())));
        out.put("batch", document.batch());
        out.put("size", document.sizeBytes());
        return out;
    }

    /** Dify's indexing status of one document. */
    static Map<String, Object> indexingStatus(Document document) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", document.id());
        out.put("indexing_status", document.status());
        out.put("display_status", difyIndexingStatus(document.status()));
        out.put("processing_started_at", seconds(document.startedAt()));
        out.put("parsing_completed_at", null);
        out.put("cleaning_completed_at", null);
        out.put("splitting_completed_at", null);
        out.put("completed_at", seconds(document.completedAt()));
        out.put("paused_at", null);
        out.put("error", document.error());
        out.put("stopped_at", null);
        out.put("completed_segments", document.chunksDone());
        out.put("total_segments", document.chunks());
        out.put("attempts", document.attempts());
        return out;
    }

    /** Dify's chunk object, with the child chunks it holds (parent-child chunking). */
    static Map<String, Object> segment(Segment segment, List<Segment> children) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", segment.id());
        out.put("position", segment.position());
        out.put("document_id", segment.documentId());
        out.put("content", segment.content());
        out.put("answer", "");
        out.put("word_count", segment.content().length());
        out.put("tokens", segment.tokens());
        out.put("keywords", List.of());
        out.put("index_node_id", segment.id());
        out.put("hit_count", segment.hitCount());
        out.put("enabled", segment.enabled());
        out.put("status", "completed");
        List<Map<String, Object>> kids = new ArrayList<>();
        for (Segment child : children) {
            Map<String, Object> kid = new LinkedHashMap<>();
            kid.put("id", child.id());
            kid.put("segment_id", segment.id());
            kid.put("content", child.content());
            kid.put("position", child.position());
            kid.put("word_count", child.content().length());
            kid.put("tokens", child.tokens());
            kid.put("enabled", child.enabled());
            kid.put("type", "automatic");
            kids.add(kid);
        }
        out.put("child_chunks", kids);
        return out;
    }

    /** One record of a hit test: the chunk with its document, its score and the child chunks that matched. */
    static Map<String, Object> record(RetrievedChunk chunk) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("id", chunk.documentId());
        document.put("name", chunk.documentName());
        Object source = chunk.metadata().get("source");
        document.put("data_source_type", source instanceof String s ? s : "upload_file");
        document.put("doc_metadata", chunk.metadata());
        Map<String, Object> segment = new LinkedHashMap<>();
        segment.put("id", chunk.segmentId());
        segment.put("position", chunk.position());
        segment.put("document_id", chunk.documentId());
        segment.put("content", chunk.content());
        segment.put("answer", "");
        segment.put("word_count", chunk.content().length());
        segment.put("keywords", List.of());
        segment.put("index_node_id", chunk.segmentId());
        segment.put("enabled", true);
        segment.put("status", "completed");
        segment.put("dataset_id", chunk.knowledgeBaseId());
        segment.put("document", document);
        List<Map<String, Object>> children = new ArrayList<>();
        for (RetrievedChunk.Child child : chunk.children()) {
            Map<String, Object> kid = new LinkedHashMap<>();
            kid.put("id", child.segmentId());
            kid.put("content", child.content());
            kid.put("position", child.position());
            kid.put("score", child.score());
            children.add(kid);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("segment", segment);
        out.put("child_chunks", children);
        out.put("score", chunk.score());
        out.put("tsne_position", null);
        return out;
    }

    /** A page in Dify's shape. */
    static Map<String, Object> page(List<?> data, int page, int limit, long total, boolean hasMore) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", data);
        out.put("has_more", hasMore);
        out.put("limit", limit);
        out.put("total", total);
        out.put("page", page);
        return out;
    }

    static String sourceType(String source) {
        return "upload".equals(source) ? "upload_file" : "text";
    }

    /** Dify's name for where a document stands, as its document list shows it. */
    static String displayStatus(Document document) {
        if ("indexed".equals(document.status())) {
            return document.enabled() ? "available" : "disabled";
        }
        return difyIndexingStatus(document.status());
    }

    /** Dify's name of an indexing status. */
    static String difyIndexingStatus(String status) {
        return switch (status == null ? "" : status) {
            case "queued" -> "queuing";
            case "extracting" -> "parsing";
            case "chunking" -> "splitting";
            case "embedding" -> "indexing";
            case "indexed" -> "completed";
            case "failed" -> "error";
            default -> status;
        };
    }

    /** Document metadata as Dify lists it: {@code [{id, name, type, value}]}. */
    private static List<Map<String, Object>> docMetadata(Map<String, Object> values, Map<String, Object> fields) {
        List<Map<String, Object>> out = new ArrayList<>();
        values.forEach((name, value) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", name);
            item.put("name", name);
            item.put("type", fields.getOrDefault(name, "string"));
            item.put("value", value);
            out.add(item);
        });
        return out;
    }

    static Long seconds(Instant instant) {
        return instant == null ? null : instant.getEpochSecond();
    }

    static Map<String, Object> object(String json) {
        if (json == null || json.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            Map<String, Object> value = Json.mapper().readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
            return value == null ? new LinkedHashMap<>() : value;
        } catch (IOException e) {
            return new LinkedHashMap<>();
        }
    }
}
