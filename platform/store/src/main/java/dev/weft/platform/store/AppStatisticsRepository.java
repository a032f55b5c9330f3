package dev.weft.platform.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What an app's use adds up to: per day (UTC) its conversations, messages, end users and tokens,
 * and what its model calls cost.
 *
 * @since 1.5
 */
@ProviderType
public interface AppStatisticsRepository {

    /** One day of an app's use. */
    record Day(LocalDate date, long conversations, long messages, long endUsers, long tokens) {
    }

    /** The model calls of a run (or a day), added up. */
    record Cost(long promptTokens, long completionTokens, BigDecimal price, String currency) {
    }

    /** The app's days with messages at or after {@code since}, oldest first. */
    List<Day> days(String workspaceId, String appId, Instant since);

    /** The app's model costs per day at or after {@code since}, oldest first. */
    Map<LocalDate, Cost> dailyCosts(String workspaceId, String appId, Instant since);

    /** The model costs of these runs, by run id (runs without model calls are left out). */
    Map<String, Cost> runCosts(String workspaceId, Collection<String> runIds);
}
