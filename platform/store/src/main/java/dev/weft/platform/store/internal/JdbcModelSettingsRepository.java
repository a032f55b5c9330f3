package dev.weft.platform.store.internal;

import dev.weft.platform.store.ModelSettingsRepository;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Model settings and accounts in {@code provider_credential}, {@code default_model}, {@code model_price}, {@code model_usage}. */
final class JdbcModelSettingsRepository implements ModelSettingsRepository {

    private static final int MAX_ERROR = 4000;
    private final Jdbc jdbc;

    JdbcModelSettingsRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void saveCredential(Credential credential) {
        UUID workspace = UUID.fromString(credential.workspaceId());
        Instant now = Instant.now();
        jdbc.transaction(tx -> {
            int updated = tx.update("UPDATE provider_credential SET settings = ?, secrets = ?, updated_at = ?"
                    + " WHERE workspace_id = ? AND provider = ?", credential.settingsJson(), credential.encryptedSecrets(),
                    now, workspace, credential.provider());
            if (updated == 0) {
                tx.update("INSERT INTO provider_credential (id, workspace_id, provider, settings, secrets, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)", UUID.randomUUID(), workspace, credential.provider(),
                        credential.settingsJson(), credential.encryptedSecrets(), now, now);
            }
        });
    }

    @Override
    public Optional<Credential> credential(String workspaceId, String provider) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        if (workspace.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.one("SELECT workspace_id, provider, settings, secrets, created_at, updated_at FROM provider_credential"
                + " WHERE workspace_id = ? AND provider = ?", JdbcModelSettingsRepository::credential, workspace.get(), provider);
    }

    @Override
    public List<Credential> credentials(String workspaceId) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        if (workspace.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT workspace_id, provider, settings, secrets, created_at, updated_at FROM provider_credential"
                + " WHERE workspace_id = ? ORDER BY provider", JdbcModelSettingsRepository::credential, workspace.get());
    }

    @Override
    public boolean deleteCredential(String workspaceId, String provider) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        return workspace.isPresent() && jdbc.update("DELETE FROM provider_credential WHERE workspace_id = ? AND provider = ?",
                workspace.get(), provider) > 0;
    }

    @Override
    public void saveDefault(DefaultModel model) {
        UUID workspace = UUID.fromString(model.workspaceId());
        jdbc.transaction(tx -> {
            int updated = tx.update("UPDATE default_model SET provider = ?, model = ?, updated_at = ? WHERE workspace_id = ?"
                    + " AND model_type = ?", model.provider(), model.model(), Instant.now(), workspace, model.modelType());
            if (updated == 0) {
                tx.update("INSERT INTO default_model (workspace_id, model_type, provider, model, updated_at) VALUES (?, ?, ?, ?, ?)",
                        workspace, model.modelType(), model.provider(), model.model(), Instant.now());
            }
        });
    }

    @Override
    public Optional<DefaultModel> defaultModel(String workspaceId, String modelType) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        if (workspace.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.one("SELECT workspace_id, model_type, provider, model FROM default_model WHERE workspace_id = ?"
                + " AND model_type = ?", row -> new DefaultModel(row.getString("workspace_id"), row.getString("model_type"),
                        row.getString("provider"), row.getString("model")), workspace.get(), modelType);
    }

    @Override
    public void savePrice(Price price) {
        jdbc.transaction(tx -> {
            int updated = tx.update("UPDATE model_price SET input_per_million = ?, output_per_million = ?, currency = ?"
                    + " WHERE provider = ? AND model = ?", price.inputPerMillion(), price.outputPerMillion(), price.currency(),
                    price.provider(), price.model());
            if (updated == 0) {
                tx.update("INSERT INTO model_price (provider, model, input_per_million, output_per_million, currency)"
                        + " VALUES (?, ?, ?, ?, ?)", price.provider(), price.model(), price.inputPerMillion(),
                        price.outputPerMillion(), price.currency());
            }
        });
    }

    @Override
    public Optional<Price> price(String provider, String model) {
        return jdbc.one("SELECT provider, model, input_per_million, output_per_million, currency FROM model_price"
                + " WHERE provider = ? AND model = ?", row -> new Price(row.getString("provider"), row.getString("model"),
                        row.getBigDecimal("input_per_million"), row.getBigDecimal("output_per_million"),
                        row.getString("currency")), provider, model);
    }

    @Override
    public void recordUsage(Usage usage) {
        jdbc.update("INSERT INTO model_usage (id, workspace_id, run_id, node_id, provider, model, model_type, prompt_tokens,"
                + " completion_tokens, price, currency, latency_ms, status, error, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", UUID.randomUUID(),
                UUID.fromString(usage.workspaceId()), usage.runId(), usage.nodeId(), usage.provider(), usage.model(),
                usage.modelType(), usage.promptTokens(), usage.completionTokens(),
                usage.price() == null ? BigDecimal.ZERO : usage.price(), usage.currency() == null ? "USD" : usage.currency(),
                usage.latencyMillis(), usage.status(), cut(usage.error()), usage.at() == null ? Instant.now() : usage.at());
    }

    @Override
    public List<UsageTotal> usage(String workspaceId, Instant since) {
        Optional<UUID> workspace = Jdbc.uuid(workspaceId);
        if (workspace.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT provider, model, model_type, currency, COUNT(*) AS calls,"
                + " SUM(CASE WHEN status = 'succeeded' THEN 0 ELSE 1 END) AS failures, SUM(prompt_tokens) AS prompt,"
                + " SUM(completion_tokens) AS completion, SUM(price) AS price FROM model_usage"
                + " WHERE workspace_id = ? AND created_at >= ? GROUP BY provider, model, model_type, currency"
                + " ORDER BY provider, model", row -> new UsageTotal(row.getString("provider"), row.getString("model"),
                        row.getString("model_type"), row.getLong("calls"), row.getLong("failures"), row.getLong("prompt"),
                        row.getLong("completion"), row.getBigDecimal("price"), row.getString("currency")),
                workspace.get(), since);
    }

    private static Credential credential(ResultSet row) throws SQLException {
        return new Credential(row.getString("workspace_id"), row.getString("provider"), row.getString("settings"),
                row.getString("secrets"), Jdbc.instant(row, "created_at"), Jdbc.instant(row, "updated_at"));
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR);
    }
}
