package dev.weft.platform.store.internal;

import dev.weft.platform.store.AppStatisticsRepository;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** An app's statistics, added up from {@code message}, {@code conversation} and {@code model_usage}. */
final class JdbcAppStatisticsRepository implements AppStatisticsRepository {

    private final Jdbc jdbc;

    JdbcAppStatisticsRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Day> days(String workspaceId, String appId, Instant since) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        if (workspace.isEmpty() || app.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT CAST(m.created_at AS DATE) AS stat_day, COUNT(DISTINCT m.conversation_id) AS conversations,"
                + " COUNT(*) AS messages, COUNT(DISTINCT c.user_id) AS end_users, COALESCE(SUM(m.total_tokens), 0) AS tokens"
                + " FROM message m JOIN conversation c ON c.id = m.conversation_id"
                + " WHERE m.workspace_id = ? AND m.app_id = ? AND m.created_at >= ?"
                + " GROUP BY CAST(m.created_at AS DATE) ORDER BY stat_day", row -> new Day(
                        row.getObject("stat_day", LocalDate.class), row.getLong("conversations"), row.getLong("messages"),
                        row.getLong("end_users"), row.getLong("tokens")),
                workspace.get(), app.get(), since);
    }

    @Override
    public Map<LocalDate, Cost> dailyCosts(String workspaceId, String appId, Instant since) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        Optional<UUID> app = Jdbc.uuid(appId);
        if (workspace.isEmpty() || app.isEmpty()) {
            return Map.of();
        }
        Map<LocalDate, Cost> costs = new LinkedHashMap<>();
        jdbc.query("SELECT CAST(u.created_at AS DATE) AS stat_day, SUM(u.prompt_tokens) AS prompt,"
                + " SUM(u.completion_tokens) AS completion, SUM(u.price) AS price, MAX(u.currency) AS currency"
                + " FROM model_usage u JOIN workflow_run r ON CAST(r.id AS VARCHAR) = u.run_id"
                + " WHERE u.workspace_id = ? AND r.workspace_id = ? AND r.app_id = ? AND u.created_at >= ?"
                + " GROUP BY CAST(u.created_at AS DATE) ORDER BY stat_day", row -> {
                    costs.put(row.getObject("stat_day", LocalDate.class), new Cost(row.getLong("prompt"),
                            row.getLong("completion"), price(row.getBigDecimal("price")), row.getString("currency")));
                    return null;
                }, workspace.get(), workspace.get(), app.get(), since);
        return costs;
    }

    @Override
    public Map<String, Cost> runCosts(String workspaceId, Collection<String> runIds) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        List<String> ids = runIds.stream().filter(id -> Jdbc.uuid(id).isPresent()).distinct().toList();
        if (workspace.isEmpty() || ids.isEmpty()) {
            return Map.of();
        }
        List<Object> parameters = new ArrayList<>();
        parameters.add(workspace.get());
        parameters.addAll(ids);
        Map<String, Cost> costs = new HashMap<>();
        jdbc.query("SELECT run_id, SUM(prompt_tokens) AS prompt, SUM(completion_tokens) AS completion, SUM(price) AS price,"
                + " MAX(currency) AS currency FROM model_usage WHERE workspace_id = ? AND run_id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ") GROUP BY run_id", row -> {
                    costs.put(row.getString("run_id"), new Cost(row.getLong("prompt"), row.getLong("completion"),
                            price(row.getBigDecimal("price")), row.getString("currency")));
                    return null;
                }, parameters.toArray());
        return costs;
    }

    private static BigDecimal price(BigDecimal price) {
        return price == null ? BigDecimal.ZERO : price.stripTrailingZeros();
    }
}
