package dev.weft.node.knowledge.internal;

import dev.weft.api.rag.RetrievedChunk;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retrieved chunks as Dify's knowledge-retrieval node outputs them in {@code result}, the shape an
 * LLM node's context reads (its {@code content}) and Dify apps' code nodes and templates walk:
 *
 * <pre>
 * {content, title, metadata: {_source: "knowledge", dataset_id, dataset_name, document_id,
 *   document_name, data_source_type, segment_id, retriever_from: "workflow", score,
 *   child_chunks: [{id, content, position, score}], segment_position, doc_metadata, position}}
 * </pre>
 *
 * <p>{@code position} is the chunk's rank in the result, from 1, as Dify numbers it;
 * {@code segment_position} is its place in its document, from 1 as Dify counts segments (Weft
 * counts from 0). {@code title} is the document's name. {@code doc_metadata} is the document's
 * metadata, null when it has none. Dify's {@code segment_hit_count}, {@code segment_word_count}
 * and {@code segment_index_node_hash} are not known to the retrieval service and are left out.
 */
final class Chunks {

    private Chunks() {
    }

    /** The chunks, in the order given (best first), as Dify's objects. */
    static List<Object> toDify(List<RetrievedChunk> chunks) {
        List<Object> out = new ArrayList<>(chunks.size());
        int rank = 1;
        for (RetrievedChunk chunk : chunks) {
            out.add(toDify(chunk, rank++));
        }
        return out;
    }

    static Map<String, Object> toDify(RetrievedChunk chunk, int rank) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("_source", "knowledge");
        metadata.put("dataset_id", chunk.knowledgeBaseId());
        metadata.put("dataset_name", chunk.knowledgeBaseName());
        metadata.put("document_id", chunk.documentId());
        metadata.put("document_name", chunk.documentName());
        metadata.put("data_source_type", chunk.metadata().get("source") instanceof String source ? source : null);
        metadata.put("segment_id", chunk.segmentId());
        metadata.put("retriever_from", "workflow");
        metadata.put("score", chunk.score());
        List<Object> children = new ArrayList<>();
        for (RetrievedChunk.Child child : chunk.children()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", child.segmentId());
            item.put("content", child.content());
            item.put("position", child.position() + 1);
            item.put("score", child.score());
            children.add(item);
        }
        metadata.put("child_chunks", children);
        metadata.put("segment_position", chunk.position() + 1);
        metadata.put("doc_metadata", chunk.metadata().isEmpty() ? null : chunk.metadata());
        metadata.put("position", rank);

        Map<String, Object> item = new LinkedHashMap<>();
        item.put("metadata", metadata);
        item.put("title", chunk.documentName());
        item.put("content", chunk.content());
        return item;
    }
}
