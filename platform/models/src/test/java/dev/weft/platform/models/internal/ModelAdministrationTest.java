package dev.weft.platform.models.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.model.ModelCall;
import dev.weft.platform.store.ModelSettingsRepository;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ModelType;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ProviderConfig;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workspace credentials (verified, encrypted, masked), default models and accounts, over an in-memory store. */
class ModelAdministrationTest {

    @TempDir
    Path conf;

    /** The store's contract in memory. */
    static final class MemoryStore implements ModelSettingsRepository {
        final Map<String, Credential> credentials = new ConcurrentHashMap<>();
        final Map<String, DefaultModel> defaults = new ConcurrentHashMap<>();
        final Map<String, Price> prices = new ConcurrentHashMap<>();
        final List<Usage> usages = new CopyOnWriteArrayList<>();

        @Override public void saveCredential(Credential c) { credentials.put(c.workspaceId() + "/" + c.provider(), c); }
        @Override public Optional<Credential> credential(String w, String p) { return Optional.ofNullable(credentials.get(w + "/" + p)); }
        @Override public List<Credential> credentials(String w) { return credentials.values().stream().filter(c -> c.workspaceId().equals(w)).toList(); }
        @Override public boolean deleteCredential(String w, String p) { return credentials.remove(w + "/" + p) != null; }
        @Override public void saveDefault(DefaultModel m) { defaults.put(m.workspaceId() + "/" + m.modelType(), m); }
        @Override public Optional<DefaultModel> defaultModel(String w, String t) { return Optional.ofNullable(defaults.get(w + "/" + t)); }
        @Override public void savePrice(Price p) { prices.put(p.provider() + "/" + p.model(), p); }
        @Override public Optional<Price> price(String p, String m) { return Optional.ofNullable(prices.get(p + "/" + m)); }
        @Override public void recordUsage(Usage u) { usages.add(u); }
        @Override public List<UsageTotal> usage(String w, Instant since) { return List.of(); }
    }

    private final MemoryStore store = new MemoryStore();
    private final List<String> verified = new ArrayList<>();

    private ModelRuntimeService runtime() throws Exception {
        ModelRuntimeService runtime = new ModelRuntimeService(Map.of());
        runtime.configure(null, d -> { });
        runtime.storeIn(store, SecretBox.in(conf));
        runtime.addProvider(new ModelRuntimeServiceTest.Recording("openai") {
            @Override
            public void verify(ProviderConfig config) throws ModelException {
                String key = config.secret("api_key").map(s -> s.reveal()).orElse("");
                verified.add(key + "@" + config.setting("base_url").orElse("-"));
                if (key.startsWith("bad")) {
                    throw new NonRetriableModelException.AuthenticationFailed("HTTP 401: invalid key");
                }
            }
        }, Map.of());
        return runtime;
    }

    @Test
    void theKeyIsMadeOnceReadableByItsOwnerOnlyAndSealsWhatOnlyItOpens() throws Exception {
        SecretBox box = SecretBox.in(conf);
        Path key = conf.resolve(SecretBox.KEY_FILE);
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String sealed = box.seal("sk-live-1");
        assertThat(sealed).startsWith("v1:").doesNotContain("sk-live");
        assertThat(SecretBox.in(conf).open(sealed)).isEqualTo("sk-live-1");
        assertThat(box.seal("sk-live-1")).isNotEqualTo(sealed);
        String tampered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> box.open(tampered)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretBox.of(new byte[32]).open(sealed)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void credentialsAreVerifiedThenKeptEncryptedAndShownMasked() throws Exception {
        ModelRuntimeService runtime = runtime();
        assertThatThrownBy(() -> runtime.saveCredentials("ws", "openai", Map.of("api_key", "bad-key")))
                .isInstanceOf(NonRetriableModelException.AuthenticationFailed.class);
        assertThat(store.credentials).isEmpty();

        runtime.saveCredentials("ws", "langgenius/openai/openai", Map.of("api_key", "sk-live-123456789", "organization", "org-1"));
        ModelSettingsRepository.Credential kept = store.credential("ws", "openai").orElseThrow();
        assertThat(kept.encryptedSecrets()).doesNotContain("sk-live");
        assertThat(kept.settingsJson()).contains("org-1");
        Map<String, Object> shown = runtime.credentials("ws", "openai").orElseThrow();
        assertThat(shown.get("api_key").toString()).doesNotContain("sk-live-123456789");
        assertThat(shown).containsEntry("organization", "org-1");

        // sending the masked value back keeps the secret
        runtime.saveCredentials("ws", "openai", Map.of("api_key", shown.get("api_key"), "organization", "org-2"));
        assertThat(verified.get(verified.size() - 1)).startsWith("sk-live-123456789@");
        // a vendor served by openai gets its own base URL
        runtime.saveCredentials("ws", "deepseek", Map.of("api_key", "sk-ds"));
        assertThat(verified.get(verified.size() - 1)).isEqualTo("sk-ds@https://api.deepseek.com/v1");
        assertThat(runtime.deleteCredentials("ws", "deepseek")).isTrue();
        assertThatThrownBy(() -> runtime.saveCredentials("ws", "nobody-knows", Map.of("api_key", "x")))
                .isInstanceOf(IllegalArgumentException.class);

        // several keys for load balancing are each verified, and a bad one is named by its place only
        verified.clear();
        runtime.saveCredentials("ws", "openai", Map.of("api_key", "sk-one,sk-two", "max_concurrent", 4));
        assertThat(verified).containsExactly("sk-one@-", "sk-two@-");
        assertThatThrownBy(() -> runtime.saveCredentials("ws", "openai", Map.of("api_key", "sk-one\nbad-two")))
                .isInstanceOf(NonRetriableModelException.AuthenticationFailed.class).hasMessageStartingWith("key 2: ")
                .hasMessageNotContaining("bad-two");
    }

    @Test
    void aWorkspacesCredentialsAndDefaultModelServeItsCallsAndEveryCallIsAccounted() throws Exception {
        ModelRuntimeService runtime = runtime();
        ModelRuntimeServiceTest.Recording openai = new ModelRuntimeServiceTest.Recording("openai");
        runtime.addProvider(openai, Map.of(org.osgi.framework.Constants.SERVICE_RANKING, 1));
        runtime.saveCredentials("ws", "openai", Map.of("api_key", "sk-ws"));
        runtime.setDefaultModel("ws", ModelType.CHAT, "openai", "gpt-4o");
        runtime.setPrice("openai", "gpt-4o", new BigDecimal("2"), new BigDecimal("8"), "USD");
        ChatRequest hello = ChatRequest.of(List.of(ChatMessage.User.of("hi")));
        runtime.chat(new ModelCall("ws", "openai", "gpt-4o-mini", "run-1", "llm"), hello);
        runtime.chat(new ModelCall("ws", "anthropic", "claude", "run-1", "llm2"), hello);
        assertThat(openai.calls).containsExactly("gpt-4o-mini@- key=sk-ws", "gpt-4o@- key=sk-ws");
        assertThatThrownBy(() -> runtime.chat(new ModelCall("other-ws", "openai", "m", null, null), hello))
                .hasMessageContaining("no default model");
        openai.failures.add(new NonRetriableModelException.InvalidRequest("HTTP 400: bad"));
        assertThatThrownBy(() -> runtime.chat(new ModelCall("ws", "openai", "gpt-4o", "run-2", "llm3"), hello))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (store.usages.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(store.usages).hasSize(3);
        assertThat(store.usages).filteredOn(u -> u.status().equals("succeeded")).hasSize(2);
        assertThat(store.usages).filteredOn(u -> u.nodeId().equals("llm2")).singleElement()
                .satisfies(u -> assertThat(u.model()).isEqualTo("gpt-4o"));
        assertThat(store.usages).filteredOn(u -> u.status().equals("failed")).singleElement()
                .satisfies(u -> assertThat(u.error()).contains("HTTP 400"));
    }
}
