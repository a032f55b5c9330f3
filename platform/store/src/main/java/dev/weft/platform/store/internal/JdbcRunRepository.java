package dev.weft.platform.store.internal;

import dev.weft.platform.store.NodeExecutionRecord;
import dev.weft.platform.store.RunFilter;
import dev.weft.platform.store.RunRecord;
import dev.weft.platform.store.RunRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Runs in {@code workflow_run}, node executions in {@code node_execution}. */
final class JdbcRunRepository implements RunRepository {

    private static final String RUN_COLUMNS = "id, workspace_id, app_id, status, inputs, outputs, error, elapsed_ms,"
            + " total_steps, total_tokens, exceptions_count, created_at, finished_at, triggered_from, created_by";
    private static final String NODE_COLUMNS = "id, run_id, workspace_id, node_id, node_type, title, position,"
            + " predecessor_id, iteration_id, loop_id, status, inputs, process_data, outputs, metadata, error,"
            + " error_type, elapsed_ms, created_at, finished_at";
    private static final int MAX_ERROR = 4000;

    private final Jdbc jdbc;

    JdbcRunRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void started(RunRecord run) {
        jdbc.update("INSERT INTO workflow_run (id, workspace_id, app_id, status, inputs, created_at, triggered_from,"
                + " created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", uuid(run.id()), uuid(run.workspaceId()),
                uuid(run.appId()), run.status(), run.inputs(), run.createdAt() == null ? Instant.now() : run.createdAt(),
                run.triggeredFrom(), run.createdBy());
    }

    @Override
    public void finished(RunRecord run) {
        jdbc.update("UPDATE workflow_run SET status = ?, outputs = ?, error = ?, elapsed_ms = ?, total_steps = ?,"
                + " total_tokens = ?, exceptions_count = ?, finished_at = ? WHERE id = ?", run.status(), run.outputs(),
                cut(run.error()), run.elapsedMillis(), run.totalSteps(), run.totalTokens(), run.exceptionsCount(),
                run.finishedAt() == null ? Instant.now() : run.finishedAt(), uuid(run.id()));
    }

    @Override
    public void nodeStarted(NodeExecutionRecord execution) {
        jdbc.update("INSERT INTO node_execution (id, run_id, workspace_id, node_id, node_type, title, position,"
                + " predecessor_id, iteration_id, loop_id, status, inputs, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", uuid(execution.id()), uuid(execution.runId()),
                uuid(execution.workspaceId()), execution.nodeId(), execution.nodeType(), execution.title(),
                execution.position(), execution.predecessorId(), execution.iterationId(), execution.loopId(),
                execution.status(), execution.inputs(),
                execution.createdAt() == null ? Instant.now() : execution.createdAt());
    }

    @Override
    public void nodeFinished(NodeExecutionRecord execution) {
        jdbc.update("UPDATE node_execution SET status = ?, inputs = ?, process_data = ?, outputs = ?, metadata = ?,"
                + " error = ?, error_type = ?, elapsed_ms = ?, finished_at = ? WHERE id = ?", execution.status(),
                execution.inputs(), execution.processData(), execution.outputs(), execution.metadata(),
                cut(execution.error()), execution.errorType(), execution.elapsedMillis(),
                execution.finishedAt() == null ? Instant.now() : execution.finishedAt(), uuid(execution.id()));
    }

    @Override
    public void nodeRecorded(NodeExecutionRecord execution) {
        Instant now = Instant.now();
        jdbc.update("INSERT INTO node_execution (" + NODE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?)", uuid(execution.id()), uuid(execution.runId()), uuid(execution.workspaceId()),
                execution.nodeId(), execution.nodeType(), execution.title(), execution.position(),
                execution.predecessorId(), execution.iterationId(), execution.loopId(), execution.status(),
                execution.inputs(), execution.processData(), execution.outputs(), execution.metadata(),
                cut(execution.error()), execution.errorType(), execution.elapsedMillis(),
                execution.createdAt() == null ? now : execution.createdAt(),
                execution.finishedAt() == null ? now : execution.finishedAt());
    }

    @Override
    public Optional<RunRecord> find(String workspaceId, String runId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> run = Jdbc.uuid(runId);
        if (workspace.isEmpty() || run.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.one("SELECT " + RUN_COLUMNS + " FROM workflow_run WHERE workspace_id = ? AND id = ?",
                JdbcRunRepository::run, workspace.get(), run.get());
    }

    @Override
    public List<NodeExecutionRecord> executions(String workspaceId, String runId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> run = Jdbc.uuid(runId);
        if (workspace.isEmpty() || run.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT " + NODE_COLUMNS + " FROM node_execution WHERE workspace_id = ? AND run_id = ?"
                + " ORDER BY position", JdbcRunRepository::execution, workspace.get(), run.get());
    }

    @Override
    public int failInterrupted(String reason) {
        jdbc.update("UPDATE node_execution SET status = 'stopped', error = ?, finished_at = ? WHERE status = 'running'",
                cut(reason), Instant.now());
        return jdbc.update("UPDATE workflow_run SET status = 'failed', error = ?, finished_at = ?"
                + " WHERE status = 'running'", cut(reason), Instant.now());
    }

    @Override
    public List<RunRecord> list(String workspaceId, String appId, RunFilter filter, int offset, int limit) {
        List<Object> parameters = new java.util.ArrayList<>();
        String where = where(workspaceId, appId, filter, parameters);
        if (where == null || limit <= 0) {
            return List.of();
        }
        parameters.add(limit);
        parameters.add(Math.max(0, offset));
        return jdbc.query("SELECT " + RUN_COLUMNS + " FROM workflow_run WHERE " + where
                + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", JdbcRunRepository::run, parameters.toArray());
    }

    @Override
    public int count(String workspaceId, String appId, RunFilter filter) {
        List<Object> parameters = new java.util.ArrayList<>();
        String where = where(workspaceId, appId, filter, parameters);
        if (where == null) {
            return 0;
        }
        return jdbc.one("SELECT COUNT(*) AS n FROM workflow_run WHERE " + where, row -> row.getInt("n"),
                parameters.toArray()).orElse(0);
    }

    /** The filter's WHERE clause (its values added to parameters); null when the ids cannot match anything. */
    private static String where(String workspaceId, String appId, RunFilter filter, List<Object> parameters) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        if (workspace.isEmpty() || app.isEmpty()) {
            return null;
        }
        StringBuilder where = new StringBuilder("workspace_id = ? AND app_id = ?");
        parameters.add(workspace.get());
        parameters.add(app.get());
        if (filter.status() != null) {
            where.append(" AND status = ?");
            parameters.add(filter.status());
        }
        if (filter.triggeredFrom() != null) {
            where.append(" AND triggered_from = ?");
            parameters.add(filter.triggeredFrom());
        }
        if (filter.createdBy() != null) {
            where.append(" AND created_by = ?");
            parameters.add(filter.createdBy());
        }
        if (filter.keyword() != null && !filter.keyword().isBlank()) {
            String pattern = "%" + filter.keyword().strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            // as Dify's run log: the inputs, the outputs, the end user who started it, or the run's id
            where.append(" AND (inputs ILIKE ? ESCAPE '\\' OR outputs ILIKE ? ESCAPE '\\' OR created_by ILIKE ? ESCAPE '\\'"
                    + " OR CAST(id AS VARCHAR) = ?)");
            parameters.add(pattern);
            parameters.add(pattern);
            parameters.add(pattern);
            parameters.add(filter.keyword().strip().toLowerCase(java.util.Locale.ROOT));
        }
        if (filter.createdAfter() != null) {
            where.append(" AND created_at >= ?");
            parameters.add(filter.createdAfter());
        }
        if (filter.createdBefore() != null) {
            where.append(" AND created_at <= ?");
            parameters.add(filter.createdBefore());
        }
        return where.toString();
    }

    private static RunRecord run(ResultSet row) throws SQLException {
        return new RunRecord(row.getObject("id", UUID.class).toString(), row.getObject("workspace_id", UUID.class).toString(),
                row.getObject("app_id", UUID.class).toString(), row.getString("status"), row.getString("inputs"),
                row.getString("outputs"), row.getString("error"), Jdbc.nullableLong(row, "elapsed_ms"),
                row.getInt("total_steps"), row.getLong("total_tokens"), row.getInt("exceptions_count"),
                Jdbc.instant(row, "created_at"), Jdbc.instant(row, "finished_at"), row.getString("triggered_from"),
                row.getString("created_by"));
    }

    private static NodeExecutionRecord execution(ResultSet row) throws SQLException {
        return new NodeExecutionRecord(row.getObject("id", UUID.class).toString(),
                row.getObject("run_id", UUID.class).toString(), row.getObject("workspace_id", UUID.class).toString(),
                row.getString("node_id"), row.getString("node_type"), row.getString("title"), row.getInt("position"),
                row.getString("predecessor_id"), row.getString("iteration_id"), row.getString("loop_id"),
                row.getString("status"), row.getString("inputs"), row.getString("process_data"), row.getString("outputs"),
                row.getString("metadata"), row.getString("error"), row.getString("error_type"),
                Jdbc.nullableLong(row, "elapsed_ms"), Jdbc.instant(row, "created_at"), Jdbc.instant(row, "finished_at"));
    }

    private static UUID uuid(String id) {
        return Jdbc.uuid(id).orElseThrow(() -> new IllegalArgumentException("not an id: " + id));
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR - 1) + "…";
    }
}
