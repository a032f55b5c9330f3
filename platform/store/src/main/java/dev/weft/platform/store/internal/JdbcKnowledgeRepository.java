package dev.weft.platform.store.internal;

import dev.weft.platform.store.KnowledgeRepository;
import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Knowledge in {@code knowledge_base}, {@code kb_document} and {@code kb_segment}. */
final class JdbcKnowledgeRepository implements KnowledgeRepository {

    private static final int MAX_ERROR = 4000;
    private static final String BASE_COLUMNS = "id, workspace_id, name, description, indexing_technique, embedding_provider,"
            + " embedding_model, dimensions, language, doc_form, process_rule, retrieval_model, metadata_fields, created_at,"
            + " updated_at";
    private static final String DOCUMENT_COLUMNS = "id, knowledge_base_id, workspace_id, position, name, source, file_key,"
            + " media_type, size_bytes, status, enabled, error, attempts, chunks, chunks_done, tokens, characters,"
            + " metadata_json, batch, created_at, updated_at, started_at, completed_at";
    private static final String SEGMENT_COLUMNS = "s.id, s.document_id, s.knowledge_base_id, s.parent_id, s.position,"
            + " s.content, s.tokens, s.enabled, s.vector, s.hit_count";

    private final Jdbc jdbc;

    JdbcKnowledgeRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public KnowledgeBase create(KnowledgeBase base) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        jdbc.update("INSERT INTO knowledge_base (" + BASE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, UUID.fromString(base.workspaceId()), base.name(), base.description(), base.indexingTechnique(),
                base.embeddingProvider(), base.embeddingModel(), base.dimensions(), base.language(), base.docForm(),
                base.processRuleJson(), base.retrievalModelJson(), base.metadataFieldsJson(), now, now);
        return base(base.workspaceId(), id.toString()).orElseThrow();
    }

    @Override
    public Optional<KnowledgeBase> base(String workspaceId, String id) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> base = Jdbc.uuid(id);
        if (workspace.isEmpty() || base.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.one("SELECT " + BASE_COLUMNS + " FROM knowledge_base WHERE workspace_id = ? AND id = ?",
                JdbcKnowledgeRepository::base, workspace.get(), base.get());
    }

    @Override
    public List<KnowledgeBase> bases(String workspaceId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        if (workspace.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT " + BASE_COLUMNS + " FROM knowledge_base WHERE workspace_id = ? ORDER BY created_at DESC, id",
                JdbcKnowledgeRepository::base, workspace.get());
    }

    @Override
    public Optional<KnowledgeBase> update(KnowledgeBase base) {
        Optional<UUID> workspace = Jdbc.uuid(base.workspaceId());
        Optional<UUID> id = Jdbc.uuid(base.id());
        if (workspace.isEmpty() || id.isEmpty()) {
            return Optional.empty();
        }
        int updated = jdbc.update("UPDATE knowledge_base SET name = ?, description = ?, process_rule = ?, retrieval_model = ?,"
                + " metadata_fields = ?, dimensions = ?, updated_at = ? WHERE workspace_id = ? AND id = ?", base.name(),
                base.description(), base.processRuleJson(), base.retrievalModelJson(), base.metadataFieldsJson(),
                base.dimensions(), Instant.now(), workspace.get(), id.get());
        return updated == 0 ? Optional.empty() : base(base.workspaceId(), base.id());
    }

    @Override
    public boolean delete(String workspaceId, String id) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> base = Jdbc.uuid(id);
        return workspace.isPresent() && base.isPresent()
                && jdbc.update("DELETE FROM knowledge_base WHERE workspace_id = ? AND id = ?", workspace.get(), base.get()) > 0;
    }

    @Override
    public Counts counts(String workspaceId, String knowledgeBaseId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> base = Jdbc.uuid(knowledgeBaseId);
        if (workspace.isEmpty() || base.isEmpty()) {
            return new Counts(0, 0, 0);
        }
        return jdbc.one("SELECT COUNT(*) AS documents, SUM(CASE WHEN status = 'indexed' THEN 1 ELSE 0 END) AS indexed,"
                + " COALESCE(SUM(characters), 0) AS characters FROM kb_document WHERE workspace_id = ? AND knowledge_base_id = ?",
                row -> new Counts(row.getInt("documents"), row.getInt("indexed"), row.getLong("characters")),
                workspace.get(), base.get()).orElse(new Counts(0, 0, 0));
    }

    @Override
    public Document add(Document document) {
        UUID id = UUID.randomUUID();
        UUID base = UUID.fromString(document.knowledgeBaseId());
        Instant now = Instant.now();
        jdbc.transaction(tx -> tx.update("INSERT INTO kb_document (" + DOCUMENT_COLUMNS + ") SELECT ?, ?, ?,"
                + " COALESCE(MAX(position), -1) + 1, ?, ?, ?, ?, ?, 'queued', ?, NULL, 0, 0, 0, 0, 0, ?, ?, ?, ?, NULL, NULL"
                + " FROM kb_document WHERE knowledge_base_id = ?", id, base, UUID.fromString(document.workspaceId()),
                document.name(), document.source(), document.fileKey(), document.mediaType(), document.sizeBytes(),
                document.enabled(), document.metadataJson(), document.batch(), now, now, base));
        return document(document.workspaceId(), id.toString()).orElseThrow();
    }

    @Override
    public Optional<Document> document(String workspaceId, String id) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> document = Jdbc.uuid(id);
        if (workspace.isEmpty() || document.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.one("SELECT " + DOCUMENT_COLUMNS + " FROM kb_document WHERE workspace_id = ? AND id = ?",
                JdbcKnowledgeRepository::document, workspace.get(), document.get());
    }

    @Override
    public List<Document> documents(String workspaceId, String knowledgeBaseId, String keyword, int offset, int limit) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> base = Jdbc.uuid(knowledgeBaseId);
        if (workspace.isEmpty() || base.isEmpty()) {
            return List.of();
        }
        String like = keyword == null || keyword.isBlank() ? "%" : "%" + keyword.strip().toLowerCase(java.util.Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return jdbc.query("SELECT " + DOCUMENT_COLUMNS + " FROM kb_document WHERE workspace_id = ? AND knowledge_base_id = ?"
                + " AND LOWER(name) LIKE ? ESCAPE '\\' ORDER BY position LIMIT ? OFFSET ?", JdbcKnowledgeRepository::document,
                workspace.get(), base.get(), like, Math.max(1, limit), Math.max(0, offset));
    }

    @Override
    public List<Document> documentsIn(List<String> statuses, int limit) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", statuses.stream().map(s -> "?").toList());
        List<Object> parameters = new ArrayList<>(statuses);
        parameters.add(Math.max(1, limit));
        return jdbc.query("SELECT " + DOCUMENT_COLUMNS + " FROM kb_document WHERE status IN (" + marks + ")"
                + " ORDER BY created_at, position LIMIT ?", JdbcKnowledgeRepository::document, parameters.toArray());
    }

    @Override
    public boolean moveStatus(String id, List<String> from, String to, String error) {
        Optional<UUID> document = Jdbc.uuid(id);
        if (document.isEmpty() || from.isEmpty()) {
            return false;
        }
        Instant now = Instant.now();
        String marks = String.join(", ", from.stream().map(s -> "?").toList());
        List<Object> parameters = new ArrayList<>();
        parameters.add(to);
        parameters.add(error == null ? null : error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error);
        parameters.add(now);
        parameters.add("extracting".equals(to) ? 1 : 0);
        parameters.add("extracting".equals(to) ? now : null);
        parameters.add("indexed".equals(to) || "failed".equals(to) ? now : null);
        parameters.add(document.get());
        parameters.addAll(from);
        return jdbc.update("UPDATE kb_document SET status = ?, error = ?, updated_at = ?, attempts = attempts + ?,"
                + " started_at = COALESCE(?, started_at), completed_at = ? WHERE id = ? AND status IN (" + marks + ")",
                parameters.toArray()) > 0;
    }

    @Override
    public void progress(String id, int chunks, int chunksDone, long tokens, long characters) {
        Jdbc.uuid(id).ifPresent(document -> jdbc.update("UPDATE kb_document SET chunks = ?, chunks_done = ?, tokens = ?,"
                + " characters = ?, updated_at = ? WHERE id = ?", chunks, chunksDone, tokens, characters, Instant.now(), document));
    }

    @Override
    public boolean enable(String workspaceId, String id, boolean enabled) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> document = Jdbc.uuid(id);
        return workspace.isPresent() && document.isPresent() && jdbc.update("UPDATE kb_document SET enabled = ?,"
                + " updated_at = ? WHERE workspace_id = ? AND id = ?", enabled, Instant.now(), workspace.get(), document.get()) > 0;
    }

    @Override
    public boolean metadata(String workspaceId, String id, String metadataJson) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> document = Jdbc.uuid(id);
        return workspace.isPresent() && document.isPresent() && jdbc.update("UPDATE kb_document SET metadata_json = ?,"
                + " updated_at = ? WHERE workspace_id = ? AND id = ?", metadataJson, Instant.now(), workspace.get(),
                document.get()) > 0;
    }

    @Override
    public boolean deleteDocument(String workspaceId, String id) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> document = Jdbc.uuid(id);
        return workspace.isPresent() && document.isPresent()
                && jdbc.update("DELETE FROM kb_document WHERE workspace_id = ? AND id = ?", workspace.get(), document.get()) > 0;
    }

    @Override
    public void indexed(String documentId, List<Segment> segments, long tokens, long characters) {
        UUID document = UUID.fromString(documentId);
        Instant now = Instant.now();
        jdbc.transaction(tx -> {
            tx.update("DELETE FROM kb_segment WHERE document_id = ?", document);
            for (Segment segment : segments) {
                tx.update("INSERT INTO kb_segment (id, document_id, knowledge_base_id, parent_id, position, content, tokens,"
                        + " enabled, vector, hit_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                        UUID.fromString(segment.id()), document, UUID.fromString(segment.knowledgeBaseId()),
                        segment.parentId() == null ? null : UUID.fromString(segment.parentId()), segment.position(),
                        segment.content(), segment.tokens(), segment.enabled(), bytes(segment.vector()), now, now);
            }
            int parents = (int) segments.stream().filter(s -> s.parentId() == null).count();
            tx.update("UPDATE kb_document SET status = 'indexed', error = NULL, chunks = ?, chunks_done = ?, tokens = ?,"
                    + " characters = ?, updated_at = ?, completed_at = ? WHERE id = ?", parents, parents, tokens, characters,
                    now, now, document);
        });
    }

    @Override
    public List<Segment> segments(String workspaceId, String documentId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> document = Jdbc.uuid(documentId);
        if (workspace.isEmpty() || document.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT " + SEGMENT_COLUMNS + " FROM kb_segment s JOIN kb_document d ON d.id = s.document_id"
                + " WHERE d.workspace_id = ? AND s.document_id = ? ORDER BY CASE WHEN s.parent_id IS NULL THEN 0 ELSE 1 END,"
                + " s.position", JdbcKnowledgeRepository::segment, workspace.get(), document.get());
    }

    @Override
    public Optional<Segment> segment(String workspaceId, String segmentId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> segment = Jdbc.uuid(segmentId);
        if (workspace.isEmpty() || segment.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.one("SELECT " + SEGMENT_COLUMNS + " FROM kb_segment s JOIN kb_document d ON d.id = s.document_id"
                + " WHERE d.workspace_id = ? AND s.id = ?", JdbcKnowledgeRepository::segment, workspace.get(), segment.get());
    }

    @Override
    public boolean updateSegment(String workspaceId, Segment segment) {
        if (segment(workspaceId, segment.id()).isEmpty()) {
            return false;
        }
        return jdbc.update("UPDATE kb_segment SET content = ?, tokens = ?, enabled = ?, vector = ?, updated_at = ? WHERE id = ?",
                segment.content(), segment.tokens(), segment.enabled(), bytes(segment.vector()), Instant.now(),
                UUID.fromString(segment.id())) > 0;
    }

    @Override
    public List<Segment> segmentsById(String workspaceId, List<String> ids) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        List<UUID> valid = ids.stream().map(Jdbc::uuid).flatMap(Optional::stream).distinct().toList();
        if (workspace.isEmpty() || valid.isEmpty()) {
            return List.of();
        }
        List<Segment> out = new ArrayList<>();
        for (int from = 0; from < valid.size(); from += 500) {
            List<UUID> part = valid.subList(from, Math.min(valid.size(), from + 500));
            List<Object> parameters = new ArrayList<>();
            parameters.add(workspace.get());
            parameters.addAll(part);
            out.addAll(jdbc.query("SELECT " + SEGMENT_COLUMNS + " FROM kb_segment s JOIN kb_document d ON d.id = s.document_id"
                    + " WHERE d.workspace_id = ? AND s.id IN (" + String.join(", ", part.stream().map(u -> "?").toList()) + ")",
                    JdbcKnowledgeRepository::segment, parameters.toArray()));
        }
        return out;
    }

    @Override
    public void hit(List<String> segmentIds) {
        List<UUID> valid = segmentIds.stream().map(Jdbc::uuid).flatMap(Optional::stream).toList();
        if (!valid.isEmpty()) {
            jdbc.transaction(tx -> {
                for (UUID id : valid) {
                    tx.update("UPDATE kb_segment SET hit_count = hit_count + 1 WHERE id = ?", id);
                }
            });
        }
    }

    private static KnowledgeBase base(ResultSet row) throws SQLException {
        return new KnowledgeBase(row.getString("id"), row.getString("workspace_id"), row.getString("name"),
                row.getString("description"), row.getString("indexing_technique"), row.getString("embedding_provider"),
                row.getString("embedding_model"), row.getInt("dimensions"), row.getString("language"),
                row.getString("doc_form"), row.getString("process_rule"), row.getString("retrieval_model"),
                row.getString("metadata_fields"), Jdbc.instant(row, "created_at"), Jdbc.instant(row, "updated_at"));
    }

    private static Document document(ResultSet row) throws SQLException {
        return new Document(row.getString("id"), row.getString("knowledge_base_id"), row.getString("workspace_id"),
                row.getInt("position"), row.getString("name"), row.getString("source"), row.getString("file_key"),
                row.getString("media_type"), row.getLong("size_bytes"), row.getString("status"), row.getBoolean("enabled"),
                row.getString("error"), row.getInt("attempts"), row.getInt("chunks"), row.getInt("chunks_done"),
                row.getLong("tokens"), row.getLong("characters"), row.getString("metadata_json"), row.getString("batch"),
                Jdbc.instant(row, "created_at"), Jdbc.instant(row, "updated_at"), Jdbc.instant(row, "started_at"),
                Jdbc.instant(row, "completed_at"));
    }

    private static Segment segment(ResultSet row) throws SQLException {
        return new Segment(row.getString("id"), row.getString("document_id"), row.getString("knowledge_base_id"),
                row.getString("parent_id"), row.getInt("position"), row.getString("content"), row.getInt("tokens"),
                row.getBoolean("enabled"), vector(row.getBytes("vector")), row.getInt("hit_count"));
    }

    private static byte[] bytes(float[] vector) {
        if (vector == null) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    private static float[] vector(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).asFloatBuffer().get(vector);
        return vector;
    }
}
