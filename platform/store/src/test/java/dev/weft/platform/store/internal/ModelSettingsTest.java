package dev.weft.platform.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.platform.store.ModelSettingsRepository.Credential;
import dev.weft.platform.store.ModelSettingsRepository.DefaultModel;
import dev.weft.platform.store.ModelSettingsRepository.Price;
import dev.weft.platform.store.ModelSettingsRepository.Usage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSettingsTest {

    @TempDir
    Path data;

    private Database database;
    private JdbcModelSettingsRepository models;
    private String workspace;
    private String other;

    @BeforeEach
    void open() {
        database = Database.open("", data, 2, getClass().getClassLoader());
        Jdbc jdbc = new Jdbc(database.dataSource());
        models = new JdbcModelSettingsRepository(jdbc);
        workspace = new JdbcWorkspaceRepository(database.dataSource()).defaultWorkspace().id();
        other = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO workspace (id, name) VALUES (?, 'Other')", UUID.fromString(other));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void credentialsAreSavedReplacedAndDeletedPerWorkspace() {
        models.saveCredential(new Credential(workspace, "openai", "{\"base_url\":\"a\"}", "v1:abc", null, null));
        models.saveCredential(new Credential(workspace, "openai", "{\"base_url\":\"b\"}", "v1:def", null, null));
        assertThat(models.credential(workspace, "openai")).get().satisfies(c -> {
            assertThat(c.settingsJson()).isEqualTo("{\"base_url\":\"b\"}");
            assertThat(c.encryptedSecrets()).isEqualTo("v1:def");
        });
        assertThat(models.credentials(workspace)).hasSize(1);
        assertThat(models.credential(other, "openai")).isEmpty();
        assertThat(models.deleteCredential(other, "openai")).isFalse();
        assertThat(models.deleteCredential(workspace, "openai")).isTrue();
        assertThat(models.credential(workspace, "openai")).isEmpty();
    }

    @Test
    void defaultsPricesAndUsageAreKept() {
        models.saveDefault(new DefaultModel(workspace, "llm", "openai", "gpt-4o-mini"));
        models.saveDefault(new DefaultModel(workspace, "llm", "openai", "gpt-4o"));
        assertThat(models.defaultModel(workspace, "llm")).get().extracting(DefaultModel::model).isEqualTo("gpt-4o");
        assertThat(models.defaultModel(other, "llm")).isEmpty();

        models.savePrice(new Price("openai", "gpt-4o", new BigDecimal("2.5"), new BigDecimal("10"), "USD"));
        assertThat(models.price("openai", "gpt-4o")).get().extracting(Price::outputPerMillion)
                .satisfies(p -> assertThat(p).isEqualByComparingTo("10"));

        Instant now = Instant.now();
        models.recordUsage(new Usage(workspace, "run-1", "llm", "openai", "gpt-4o", "llm", 100, 20, new BigDecimal("0.00045"),
                "USD", 300, "succeeded", null, now));
        models.recordUsage(new Usage(workspace, "run-2", "llm", "openai", "gpt-4o", "llm", 50, 0, BigDecimal.ZERO,
                "USD", 100, "failed", "HTTP 500", now));
        models.recordUsage(new Usage(other, "run-3", "llm", "openai", "gpt-4o", "llm", 999, 999, BigDecimal.ONE, "USD", 1,
                "succeeded", null, now));
        assertThat(models.usage(workspace, now.minus(1, ChronoUnit.DAYS))).singleElement().satisfies(total -> {
            assertThat(total.calls()).isEqualTo(2);
            assertThat(total.failures()).isEqualTo(1);
            assertThat(total.promptTokens()).isEqualTo(150);
            assertThat(total.completionTokens()).isEqualTo(20);
            assertThat(total.price()).isEqualByComparingTo("0.00045");
        });
        assertThat(models.usage(workspace, now.plus(1, ChronoUnit.DAYS))).isEmpty();
    }
}
