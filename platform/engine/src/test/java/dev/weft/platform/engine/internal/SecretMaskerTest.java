package dev.weft.platform.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.workflow.NodeStatus;
import dev.weft.api.workflow.RunEvent;
import dev.weft.api.workflow.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

    private final SecretMasker masker = new SecretMasker(Set.of("sk-live-123456", "abc"));
    private final Instant now = Instant.now();

    @Test
    void every_reported_value_loses_the_secrets_it_contains() {
        RunEvent.NodeFinished finished = (RunEvent.NodeFinished) masker.mask(new RunEvent.NodeFinished("r", now, "x", "n",
                NodeStatus.FAILED, Map.of("key", "sk-live-123456", "nested", List.of(Map.of("h", "Bearer sk-live-123456"))),
                Map.of("body", "token=sk-live-123456&x=abc", "short", "abc"), "401 for key sk-live-123456", Duration.ZERO,
                "http-request", "HTTP", Map.of("request", "GET /?k=sk-live-123456"), Map.of(), "http", 1, null, null));
        assertThat(finished.toString()).doesNotContain("sk-live-123456");
        assertThat(finished.inputs()).containsEntry("key", "******");
        assertThat(finished.outputs()).containsEntry("body", "token=******&x=abc").containsEntry("short", "******");
        assertThat(finished.error()).isEqualTo("401 for key ******");
        assertThat(finished.processData()).containsEntry("request", "GET /?k=******");
        assertThat(finished.nodeType()).isEqualTo("http-request");
        assertThat(finished.index()).isEqualTo(1);

        RunEvent.TextChunk chunk = (RunEvent.TextChunk) masker.mask(new RunEvent.TextChunk("r", now, "a", "answer",
                "your key is sk-live-123456"));
        assertThat(chunk.text()).isEqualTo("your key is ******");
        RunEvent.RunFinished end = (RunEvent.RunFinished) masker.mask(new RunEvent.RunFinished("r", now, RunStatus.SUCCEEDED,
                Map.of("answer", "sk-live-123456"), null, Duration.ZERO, 1, 0, 0));
        assertThat(end.outputs()).containsEntry("answer", "******");
    }

    @Test
    void an_app_without_secrets_reports_events_as_they_are() {
        RunEvent event = new RunEvent.TextChunk("r", now, "a", "answer", "sk-live-123456");
        assertThat(new SecretMasker(Set.of()).mask(event)).isSameAs(event);
    }
}
