package dev.weft.web.internal.knowledge;

import dev.weft.api.core.WeftException;
import dev.weft.api.rag.RetrievedChunk;
import dev.weft.platform.knowledge.KnowledgeAdministration;
import dev.weft.platform.store.KnowledgeRepository.Document;
import dev.weft.platform.store.KnowledgeRepository.KnowledgeBase;
import dev.weft.platform.store.KnowledgeRepository.Segment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory knowledge service for the resource's tests: it keeps what it is given, fails with
 * the service's codes, and records what it was asked.
 */
final class FakeKnowledge implements KnowledgeAdministration {

    static final Instant CREATED = Instant.parse("2025-01-02T03:04:05Z");

    final Map<String, KnowledgeBase> bases = new LinkedHashMap<>();
    final Map<String, Document> documents = new LinkedHashMap<>();
    final Map<String, Segment> segments = new LinkedHashMap<>();
    final Map<String, byte[]> uploads = new LinkedHashMap<>();
    /** The file limit the fake enforces, as the service does. */
    long maxFileBytes = Long.MAX_VALUE;
    NewKnowledgeBase lastSpec;
    Map<String, Object> lastRetrievalModel;
    String lastQuery;
    List<RetrievedChunk> hits = List.of();
    private int next = 1;

    private String id(String prefix) {
        return prefix + "-" + next++;
    }

    KnowledgeBase addBase(String workspace, String name, String fieldsJson) {
        KnowledgeBase base = new KnowledgeBase(id("kb"), workspace, name, "", "high_quality", "local", "bge", 384,
                "auto", "text_model", "{\"mode\":\"automatic\"}", "{\"search_method\":\"hybrid_search\",\"top_k\":3}",
                fieldsJson, CREATED, CREATED);
        bases.put(base.id(), base);
        return base;
    }

    Document addDocument(KnowledgeBase base, String name, String status, boolean enabled) {
        Document document = new Document(id("doc"), base.id(), base.workspaceId(), documents.size() + 1, name, "text",
                "key", "text/plain", 10, status, enabled, status.equals("failed") ? "it broke" : null, 1, 4, 2, 120,
                600, "{\"author\":\"Ann\"}", "batch-1", CREATED, CREATED, CREATED, null);
        documents.put(document.id(), document);
        return document;
    }

    Segment addSegment(Document document, String parent, int position, String content, boolean enabled) {
        Segment segment = new Segment(id("seg"), document.id(), document.knowledgeBaseId(), parent, position, content,
                7, enabled, null, 2);
        segments.put(segment.id(), segment);
        return segment;
    }

    private KnowledgeBase require(String workspace, String id) {
        return base(workspace, id).orElseThrow(() -> new WeftException("dataset_not_found", "no knowledge base " + id));
    }

    private Document requireDocument(String workspace, String id) {
        return document(workspace, id).orElseThrow(() -> new WeftException("document_not_found", "no document " + id));
    }

    @Override
    public KnowledgeBase create(String workspace, NewKnowledgeBase spec) {
        lastSpec = spec;
        if (spec.name() == null || spec.name().isBlank()) {
            throw new WeftException("invalid_param", "name is required, at most 255 characters");
        }
        if (bases.values().stream().anyMatch(b -> b.name().equals(spec.name()))) {
            throw new WeftException("dataset_name_duplicate", "a knowledge base named '" + spec.name() + "' exists already");
        }
        KnowledgeBase base = new KnowledgeBase(id("kb"), workspace, spec.name(), spec.description() == null ? "" : spec.description(),
                spec.indexingTechnique() == null ? "high_quality" : spec.indexingTechnique(), spec.embeddingProvider(),
                spec.embeddingModel(), 384, spec.language() == null ? "auto" : spec.language(),
                spec.docForm() == null ? "text_model" : spec.docForm(), "{}", "{\"search_method\":\"hybrid_search\"}",
                spec.metadataFields() == null ? "{}" : "{\"author\":\"string\"}", CREATED, CREATED);
        bases.put(base.id(), base);
        return base;
    }

    @Override
    public List<KnowledgeBase> bases(String workspace) {
        return bases.values().stream().filter(b -> b.workspaceId().equals(workspace)).toList();
    }

    @Override
    public Optional<KnowledgeBase> base(String workspace, String id) {
        return Optional.ofNullable(bases.get(id)).filter(b -> b.workspaceId().equals(workspace));
    }

    @Override
    public KnowledgeBase update(String workspace, String id, NewKnowledgeBase changes) {
        lastSpec = changes;
        KnowledgeBase base = require(workspace, id);
        KnowledgeBase changed = new KnowledgeBase(base.id(), workspace, changes.name() == null ? base.name() : changes.name(),
                changes.description() == null ? base.description() : changes.description(), base.indexingTechnique(),
                base.embeddingProvider(), base.embeddingModel(), base.dimensions(), base.language(), base.docForm(),
                base.processRuleJson(), base.retrievalModelJson(), base.metadataFieldsJson(), base.createdAt(), Instant.now());
        bases.put(id, changed);
        return changed;
    }

    @Override
    public boolean delete(String workspace, String id) {
        return base(workspace, id).map(b -> bases.remove(id) != null).orElse(false);
    }

    @Override
    public Document addText(String workspace, String baseId, String name, String text, Map<String, Object> metadata) {
        KnowledgeBase base = require(workspace, baseId);
        if (text == null || text.isBlank()) {
            throw new WeftException("invalid_param", "text is required");
        }
        Document document = new Document(id("doc"), base.id(), workspace, documents.size() + 1, name, "text", "key",
                "text/plain", text.length(), "queued", true, null, 0, 0, 0, 0, 0, json(metadata), "batch-7", CREATED,
                CREATED, null, null);
        documents.put(document.id(), document);
        uploads.put(document.id(), text.getBytes(StandardCharsets.UTF_8));
        return document;
    }

    @Override
    public Document addFile(String workspace, String baseId, String fileName, InputStream content, Map<String, Object> metadata) {
        KnowledgeBase base = require(workspace, baseId);
        byte[] bytes;
        try {
            bytes = content.readNBytes((int) Math.min(Integer.MAX_VALUE - 9, maxFileBytes) + 1);
            if (bytes.length > maxFileBytes) {
                throw new WeftException("file_too_large", "the file is larger than the limit");
            }
            content.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (fileName != null && fileName.endsWith(".exe")) {
            throw new WeftException("unsupported_file_type", "no installed extractor reads .exe files");
        }
        Document document = new Document(id("doc"), base.id(), workspace, documents.size() + 1, fileName, "upload", "key",
                "txt", bytes.length, "queued", true, null, 0, 0, 0, 0, 0, json(metadata), "batch-8", CREATED, CREATED,
                null, null);
        documents.put(document.id(), document);
        uploads.put(document.id(), bytes);
        return document;
    }

    @Override
    public List<Document> documents(String workspace, String baseId, String keyword, int page, int limit) {
        require(workspace, baseId);
        List<Document> all = documents.values().stream().filter(d -> d.knowledgeBaseId().equals(baseId))
                .filter(d -> keyword == null || d.name().contains(keyword)).toList();
        int from = Math.min(all.size(), (page - 1) * limit);
        return all.subList(from, Math.min(all.size(), from + limit));
    }

    @Override
    public Optional<Document> document(String workspace, String id) {
        return Optional.ofNullable(documents.get(id)).filter(d -> d.workspaceId().equals(workspace));
    }

    @Override
    public Document reindex(String workspace, String id) {
        Document d = requireDocument(workspace, id);
        if (!d.status().equals("indexed") && !d.status().equals("failed")) {
            throw new WeftException("document_indexing", "the document is being indexed already");
        }
        return put(new Document(d.id(), d.knowledgeBaseId(), d.workspaceId(), d.position(), d.name(), d.source(), d.fileKey(),
                d.mediaType(), d.sizeBytes(), "queued", d.enabled(), null, d.attempts(), 0, 0, 0, 0, d.metadataJson(),
                d.batch(), d.createdAt(), d.updatedAt(), null, null));
    }

    @Override
    public Document enable(String workspace, String id, boolean enabled) {
        Document d = requireDocument(workspace, id);
        return put(new Document(d.id(), d.knowledgeBaseId(), d.workspaceId(), d.position(), d.name(), d.source(), d.fileKey(),
                d.mediaType(), d.sizeBytes(), d.status(), enabled, d.error(), d.attempts(), d.chunks(), d.chunksDone(),
                d.tokens(), d.characters(), d.metadataJson(), d.batch(), d.createdAt(), d.updatedAt(), d.startedAt(),
                d.completedAt()));
    }

    @Override
    public Document metadata(String workspace, String id, Map<String, Object> metadata) {
        Document d = requireDocument(workspace, id);
        if (metadata.containsKey("unknown")) {
            throw new WeftException("invalid_param", "metadata key 'unknown' is not a field of this knowledge base");
        }
        return put(new Document(d.id(), d.knowledgeBaseId(), d.workspaceId(), d.position(), d.name(), d.source(), d.fileKey(),
                d.mediaType(), d.sizeBytes(), d.status(), d.enabled(), d.error(), d.attempts(), d.chunks(), d.chunksDone(),
                d.tokens(), d.characters(), json(metadata), d.batch(), d.createdAt(), d.updatedAt(), d.startedAt(),
                d.completedAt()));
    }

    private Document put(Document document) {
        documents.put(document.id(), document);
        return document;
    }

    @Override
    public boolean deleteDocument(String workspace, String id) {
        return document(workspace, id).map(d -> documents.remove(id) != null).orElse(false);
    }

    @Override
    public List<Segment> segments(String workspace, String documentId) {
        requireDocument(workspace, documentId);
        return new ArrayList<>(segments.values().stream().filter(s -> s.documentId().equals(documentId)).toList());
    }

    @Override
    public Segment updateSegment(String workspace, String segmentId, String content, Boolean enabled) {
        Segment s = segments.get(segmentId);
        if (s == null) {
            throw new WeftException("segment_not_found", "no chunk " + segmentId);
        }
        if (content != null && content.isBlank()) {
            throw new WeftException("invalid_param", "a chunk cannot be empty");
        }
        Segment changed = new Segment(s.id(), s.documentId(), s.knowledgeBaseId(), s.parentId(), s.position(),
                content == null ? s.content() : content, content == null ? s.tokens() : 3,
                enabled == null ? s.enabled() : enabled, s.vector(), s.hitCount());
        segments.put(segmentId, changed);
        return changed;
    }

    @Override
    public List<RetrievedChunk> hitTest(String workspace, String baseId, String query, Map<String, Object> retrievalModel) {
        require(workspace, baseId);
        lastQuery = query;
        lastRetrievalModel = retrievalModel;
        return hits;
    }

    private static String json(Map<String, Object> metadata) {
        try {
            return dev.weft.web.internal.json.Json.mapper().writeValueAsString(metadata == null ? Map.of() : metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
