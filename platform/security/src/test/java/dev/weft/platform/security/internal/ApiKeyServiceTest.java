package dev.weft.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.core.ValidationException;
import dev.weft.api.core.WeftException;
import dev.weft.platform.security.ApiKey;
import dev.weft.platform.security.NewApiKey;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ApiKeyServiceTest {

    private final TestDatabase db = new TestDatabase();
    private final MutableClock clock = new MutableClock();
    private final AtomicLong nanos = new AtomicLong();
    private final ApiKeyService keys = new ApiKeyService(db.dataSource(), clock, nanos::get, new Secrets());
    private final String workspace = db.defaultWorkspace();
    private final String app = db.insertApp(workspace);

    @Test
    void should_create_app_keys_with_prefix_24_random_characters_and_a_hint() {
        NewApiKey created = keys.create(workspace, ApiKey.APP, app, UUID.randomUUID().toString());

        String token = created.token();
        assertThat(token).matches("app-[A-Za-z0-9]{24}");
        ApiKey key = created.key();
        assertThat(key.kind()).isEqualTo("app");
        assertThat(key.appId()).isEqualTo(app);
        assertThat(key.workspaceId()).isEqualTo(workspace);
        assertThat(key.hint()).isEqualTo("app-..." + token.substring(token.length() - 4));
        assertThat(key.createdAt()).isEqualTo(clock.instant());
        assertThat(key.lastUsedAt()).isNull();
        assertThat(created.toString()).doesNotContain(token);
        assertThat(keys.list(workspace, ApiKey.APP, app)).containsExactly(key);
    }

    @Test
    void should_create_dataset_keys_without_an_app() {
        NewApiKey created = keys.create(workspace, ApiKey.DATASET, null, null);

        assertThat(created.token()).matches("dataset-[A-Za-z0-9]{24}");
        assertThat(created.key().hint()).startsWith("dataset-...").hasSize(15);
        assertThat(created.key().appId()).isNull();
        assertThat(keys.verify(created.token())).contains(created.key());
    }

    @Test
    void should_store_only_the_sha256_of_the_key() {
        NewApiKey created = keys.create(workspace, ApiKey.APP, app, null);

        String stored = db.dump("api_key");
        assertThat(stored).doesNotContain(created.token())
                .doesNotContain(created.token().substring(4))
                .doesNotContain(created.token().substring(4, 24));
        assertThat(db.rows("SELECT key_hash FROM api_key").get(0).get("KEY_HASH"))
                .isEqualTo(Secrets.sha256Hex(created.token()));
    }

    @Test
    void should_verify_a_live_key() {
        NewApiKey created = keys.create(workspace, ApiKey.APP, app, null);

        assertThat(keys.verify(created.token())).get().extracting(ApiKey::id, ApiKey::appId)
                .containsExactly(created.key().id(), app);
    }

    @Test
    void should_answer_empty_alike_for_malformed_unknown_and_revoked_keys() {
        NewApiKey revoked = keys.create(workspace, ApiKey.APP, app, null);
        keys.revoke(workspace, revoked.key().id());
        String valid = keys.create(workspace, ApiKey.APP, app, null).token();

        List<String> refused = List.of("", " ", "null", "undefined", "Bearer " + valid, valid + " ", " " + valid,
                valid.substring(0, 27), valid + "A", "app-" + "a".repeat(23) + "_", "app_" + valid.substring(4),
                "APP-" + valid.substring(4), "other-" + valid.substring(4), "dataset-" + valid.substring(4, 27),
                "app-" + "é".repeat(24), "app-" + "A".repeat(24), "dataset-" + "A".repeat(24), revoked.token());
        assertThat(keys.verify(null)).isEmpty();
        assertThat(refused).allSatisfy(token -> assertThat(keys.verify(token)).as(token).isEmpty());
        assertThat(keys.verify(valid)).isPresent();
    }

    @Test
    void should_stop_a_revoked_key_at_once_even_when_cached() {
        NewApiKey created = keys.create(workspace, ApiKey.APP, app, null);
        assertThat(keys.verify(created.token())).isPresent();
        assertThat(keys.cachedKeys()).isEqualTo(1);

        assertThat(keys.revoke(workspace, created.key().id())).isTrue();

        assertThat(keys.cachedKeys()).isZero();
        assertThat(keys.verify(created.token())).isEmpty();
        assertThat(keys.list(workspace, ApiKey.APP, app)).isEmpty();
        assertThat(keys.revoke(workspace, created.key().id())).as("already revoked").isFalse();
        assertThat(db.rows("SELECT revoked_at FROM api_key").get(0).get("REVOKED_AT")).isNotNull();
    }

    @Test
    void should_revoke_only_within_the_keys_workspace() {
        String other = db.insertWorkspace("Other");
        NewApiKey created = keys.create(workspace, ApiKey.DATASET, null, null);

        assertThat(keys.revoke(other, created.key().id())).isFalse();
        assertThat(keys.revoke(workspace, UUID.randomUUID().toString())).isFalse();
        assertThat(keys.revoke(workspace, "not-a-uuid")).isFalse();
        assertThat(keys.revoke("not-a-uuid", created.key().id())).isFalse();
        assertThat(keys.verify(created.token())).isPresent();
    }

    @Test
    void should_delete_an_apps_keys_with_the_app_and_stop_them_within_the_cache_time() {
        NewApiKey created = keys.create(workspace, ApiKey.APP, app, null);
        NewApiKey dataset = keys.create(workspace, ApiKey.DATASET, null, null);
        assertThat(keys.verify(created.token())).isPresent();

        db.update("DELETE FROM app WHERE id = ?", UUID.fromString(app));

        assertThat(db.rows("SELECT kind FROM api_key")).extracting(row -> row.get("KIND")).containsExactly("dataset");
        // documented propagation: a cached key lives on for at most the cache time
        nanos.addAndGet(Duration.ofSeconds(ApiKeyService.CACHE_SECONDS).toNanos() + 1);
        assertThat(keys.verify(created.token())).isEmpty();
        assertThat(keys.verify(dataset.token())).isPresent();
    }

    @Test
    void should_stop_the_keys_of_a_deleted_workspace() {
        String other = db.insertWorkspace("Doomed");
        String otherApp = db.insertApp(other);
        NewApiKey created = keys.create(other, ApiKey.APP, otherApp, null);

        db.update("DELETE FROM workspace WHERE id = ?", UUID.fromString(other));

        assertThat(db.rows("SELECT id FROM api_key")).isEmpty();
        assertThat(keys.verify(created.token())).isEmpty();
    }

    @Test
    void should_record_the_last_use_at_most_once_a_minute() {
        NewApiKey created = keys.create(workspace, ApiKey.APP, app, null);

        keys.verify(created.token());
        String first = lastUsed();
        assertThat(first).isNotNull();

        clock.advance(Duration.ofSeconds(30));
        keys.verify(created.token());
        nanos.addAndGet(Duration.ofSeconds(10).toNanos()); // past the cache: read again from the store
        keys.verify(created.token());
        assertThat(lastUsed()).isEqualTo(first);

        clock.advance(Duration.ofSeconds(31));
        keys.verify(created.token());
        assertThat(lastUsed()).isNotEqualTo(first);
    }

    @Test
    void should_list_live_keys_by_kind_and_app_oldest_first() {
        String otherApp = db.insertApp(workspace);
        NewApiKey a1 = keys.create(workspace, ApiKey.APP, app, null);
        clock.advance(Duration.ofSeconds(1));
        NewApiKey a2 = keys.create(workspace, ApiKey.APP, app, null);
        clock.advance(Duration.ofSeconds(1));
        NewApiKey b1 = keys.create(workspace, ApiKey.APP, otherApp, null);
        NewApiKey d1 = keys.create(workspace, ApiKey.DATASET, null, null);

        assertThat(keys.list(workspace, ApiKey.APP, app)).containsExactly(a1.key(), a2.key());
        assertThat(keys.list(workspace, ApiKey.APP, otherApp)).containsExactly(b1.key());
        assertThat(keys.list(workspace, ApiKey.APP, null)).hasSize(3);
        assertThat(keys.list(workspace, ApiKey.DATASET, null)).containsExactly(d1.key());
        assertThat(keys.list(db.insertWorkspace("Other"), ApiKey.APP, app)).isEmpty();
        assertThat(keys.list("nope", ApiKey.APP, app)).isEmpty();
        assertThat(keys.list(workspace, "admin", null)).isEmpty();
        assertThat(keys.list(workspace, ApiKey.APP, "nope")).isEmpty();
    }

    @Test
    void should_refuse_bad_kinds_missing_apps_and_foreign_apps() {
        String other = db.insertWorkspace("Other");
        String foreignApp = db.insertApp(other);

        assertThatThrownBy(() -> keys.create(workspace, "admin", null, null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("/kind");
        assertThatThrownBy(() -> keys.create(workspace, null, null, null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> keys.create(workspace, ApiKey.APP, null, null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("/app_id");
        assertThatThrownBy(() -> keys.create(workspace, ApiKey.DATASET, app, null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("/app_id");
        assertThatThrownBy(() -> keys.create(workspace, ApiKey.APP, foreignApp, null))
                .isInstanceOfSatisfying(WeftException.class, e -> assertThat(e.code()).isEqualTo("app_not_found"));
        assertThatThrownBy(() -> keys.create(workspace, ApiKey.APP, UUID.randomUUID().toString(), null))
                .isInstanceOfSatisfying(WeftException.class, e -> assertThat(e.code()).isEqualTo("app_not_found"));
        assertThatThrownBy(() -> keys.create(UUID.randomUUID().toString(), ApiKey.DATASET, null, null))
                .isInstanceOfSatisfying(WeftException.class, e -> assertThat(e.code()).isEqualTo("workspace_not_found"));
        assertThat(db.rows("SELECT id FROM api_key")).isEmpty();
    }

    @Test
    void should_check_the_shape_of_keys_without_a_regex() {
        assertThat(ApiKeyService.wellFormed("app-" + "aZ09".repeat(6))).isTrue();
        assertThat(ApiKeyService.wellFormed("dataset-" + "aZ09".repeat(6))).isTrue();
        assertThat(ApiKeyService.wellFormed("app-" + "aZ09".repeat(6) + "\n")).isFalse();
        assertThat(ApiKeyService.wellFormed("app-" + "aZ0-".repeat(6))).isFalse();
    }

    private String lastUsed() {
        return db.rows("SELECT last_used_at FROM api_key").get(0).get("LAST_USED_AT");
    }
}
