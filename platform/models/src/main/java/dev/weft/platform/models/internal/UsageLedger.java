package dev.weft.platform.models.internal;

import dev.weft.api.model.ModelCall;
import dev.weft.platform.store.ModelSettingsRepository;
import dev.weft.spi.model.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records each model call with its tokens, latency and price (from the price table) in the store. */
final class UsageLedger {

    private static final Logger LOG = LoggerFactory.getLogger(UsageLedger.class);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final Supplier<ModelSettingsRepository> store;

    UsageLedger(Supplier<ModelSettingsRepository> store) {
        this.store = store;
    }

    /** Records a call off the caller's thread; a failure to record never fails the call. */
    void record(ModelCall call, Target target, String type, Usage usage, long startedNanos, String status, String error) {
        ModelSettingsRepository repository = store.get();
        if (repository == null) {
            return;
        }
        long latency = (System.nanoTime() - startedNanos) / 1_000_000;
        Thread.ofVirtual().name("weft-model-usage").start(() -> {
            try {
                BigDecimal price = BigDecimal.ZERO;
                String currency = "USD";
                Optional<ModelSettingsRepository.Price> table =
                        repository.price(ProviderCredentials.key(target.provider()), target.model());
                if (table.isPresent() && usage != null) {
                    price = table.get().inputPerMillion().multiply(BigDecimal.valueOf(usage.promptTokens()))
                            .add(table.get().outputPerMillion().multiply(BigDecimal.valueOf(usage.completionTokens())))
                            .divide(MILLION, 10, RoundingMode.HALF_UP);
                    currency = table.get().currency();
                }
                repository.recordUsage(new ModelSettingsRepository.Usage(call.workspaceId(), call.runId(), call.nodeId(),
                        target.provider(), target.model(), type, usage == null ? 0 : usage.promptTokens(),
                        usage == null ? 0 : usage.completionTokens(), price, currency, latency, status, error,
                        Instant.now()));
            } catch (RuntimeException e) {
                LOG.debug("A model call could not be recorded: {}", e.getMessage());
            }
        });
    }
}
