package dev.weft.platform.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spi.model.ModelProvider;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

class ProviderDirectoryTest {

    private final ProviderDirectory directory = new ProviderDirectory();

    private static Map<String, Object> service(long id, int rank) {
        return Map.of(Constants.SERVICE_ID, id, Constants.SERVICE_RANKING, rank);
    }

    @Test
    void theHighestRankingServesThenTheFirstRegisteredAndTheOtherTakesOverWhenItLeaves() {
        ModelProvider first = new ModelRuntimeServiceTest.Recording("openai");
        ModelProvider second = new ModelRuntimeServiceTest.Recording("openai");
        ModelProvider ranked = new ModelRuntimeServiceTest.Recording("openai");
        directory.add(first, service(10, 0));
        directory.add(second, service(11, 0));
        assertThat(directory.get("openai")).isSameAs(first);
        directory.add(ranked, service(12, 5));
        assertThat(directory.get("openai")).isSameAs(ranked);
        directory.remove(ranked);
        assertThat(directory.get("openai")).isSameAs(first);
        directory.remove(first);
        assertThat(directory.get("openai")).isSameAs(second);
    }

    @Test
    void aProviderNeverSeenIsNotWaitedFor() throws InterruptedException {
        long started = System.nanoTime();
        assertThat(directory.await("anthropic", Duration.ofSeconds(5))).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(directory.servesOrReturns("anthropic", Duration.ofSeconds(60))).isFalse();
    }

    @Test
    void aProviderThatLeftIsAwaitedUntilItsReplacementArrives() throws InterruptedException {
        ModelProvider old = new ModelRuntimeServiceTest.Recording("openai");
        ModelProvider replacement = new ModelRuntimeServiceTest.Recording("openai");
        directory.add(old, service(1, 0));
        directory.remove(old);
        assertThat(directory.servesOrReturns("openai", Duration.ofSeconds(60))).isTrue();
        assertThat(directory.servesOrReturns("openai", Duration.ZERO)).isFalse();
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            directory.add(replacement, service(2, 0));
        });
        assertThat(directory.await("openai", Duration.ofSeconds(5))).isSameAs(replacement);
    }
}
