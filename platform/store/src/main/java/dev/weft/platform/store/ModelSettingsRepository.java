package dev.weft.platform.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a workspace set up for models: provider credentials (secrets arrive already encrypted), default
 * models, and the accounts of every model call; and the price table.
 *
 * @since 1.3
 */
@ProviderType
public interface ModelSettingsRepository {

    /** A workspace's credentials for one provider. */
    @ProviderType
    record Credential(String workspaceId, String provider, String settingsJson, String encryptedSecrets,
            Instant createdAt, Instant updatedAt) {
    }

    /** A workspace's default model of one type. */
    @ProviderType
    record DefaultModel(String workspaceId, String modelType, String provider, String model) {
    }

    /** A price per million tokens. */
    @ProviderType
    record Price(String provider, String model, BigDecimal inputPerMillion, BigDecimal outputPerMillion, String currency) {
    }

    /** One model call, as recorded. */
    @ProviderType
    record Usage(String workspaceId, String runId, String nodeId, String provider, String model, String modelType,
            long promptTokens, long completionTokens, BigDecimal price, String currency, long latencyMillis,
            String status, String error, Instant at) {
    }

    /** Totals of one model over a period. */
    @ProviderType
    record UsageTotal(String provider, String model, String modelType, long calls, long failures, long promptTokens,
            long completionTokens, BigDecimal price, String currency) {
    }

    /** Saves (creates or replaces) a workspace's credentials for a provider. */
    void saveCredential(Credential credential);

    Optional<Credential> credential(String workspaceId, String provider);

    List<Credential> credentials(String workspaceId);

    boolean deleteCredential(String workspaceId, String provider);

    void saveDefault(DefaultModel model);

    Optional<DefaultModel> defaultModel(String workspaceId, String modelType);

    void savePrice(Price price);

    Optional<Price> price(String provider, String model);

    void recordUsage(Usage usage);

    /** Totals per model for calls of a workspace made at or after {@code since}. */
    List<UsageTotal> usage(String workspaceId, Instant since);
}
