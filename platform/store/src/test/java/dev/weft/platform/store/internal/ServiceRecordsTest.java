package dev.weft.platform.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.platform.store.AppRecord;
import dev.weft.platform.store.AppVersionRecord;
import dev.weft.platform.store.ConversationRecord;
import dev.weft.platform.store.FeedbackRecord;
import dev.weft.platform.store.MessageRecord;
import dev.weft.platform.store.RunFilter;
import dev.weft.platform.store.RunRecord;
import dev.weft.platform.store.UploadFileRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The records of the service API: published versions, end users, files, feedback, pages of runs and conversations. */
class ServiceRecordsTest {

    @TempDir
    Path data;

    private Database database;
    private Jdbc jdbc;
    private JdbcAppRepository apps;
    private JdbcConversationRepository conversations;
    private String workspace;
    private String otherWorkspace;
    private AppRecord app;

    @BeforeEach
    void open() {
        database = Database.open("", data, 2, getClass().getClassLoader());
        jdbc = new Jdbc(database.dataSource());
        apps = new JdbcAppRepository(jdbc);
        conversations = new JdbcConversationRepository(jdbc);
        workspace = new JdbcWorkspaceRepository(database.dataSource()).defaultWorkspace().id();
        otherWorkspace = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO workspace (id, name) VALUES (?, 'Other')", UUID.fromString(otherWorkspace));
        app = apps.create(workspace, "Chat", "advanced-chat", "", "0.6.0", "{\"v\":1}");
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void publishing_makes_immutable_numbered_versions_and_restoring_copies_one_into_the_draft() {
        assertThat(apps.published(workspace, app.id())).isEmpty();
        AppVersionRecord first = apps.publish(workspace, app.id(), "first", "acct").orElseThrow();
        apps.update(workspace, app.id(), "Chat 2", "advanced-chat", "", "0.6.0", "{\"v\":2}");
        AppVersionRecord second = apps.publish(workspace, app.id(), "", "acct").orElseThrow();

        assertThat(first.version()).isEqualTo(1);
        assertThat(first.document()).isEqualTo("{\"v\":1}");
        assertThat(second.version()).isEqualTo(2);
        assertThat(apps.published(workspace, app.id())).map(AppVersionRecord::id).contains(second.id());
        assertThat(apps.versions(workspace, app.id())).extracting(AppVersionRecord::version).containsExactly(2, 1);

        apps.update(workspace, app.id(), "Draft", "advanced-chat", "", "0.6.0", "{\"v\":3}");
        AppRecord restored = apps.restore(workspace, app.id(), first.id()).orElseThrow();
        assertThat(restored.document()).isEqualTo("{\"v\":1}");
        assertThat(restored.name()).isEqualTo("Chat");
        // the published version did not move and kept its content
        assertThat(apps.published(workspace, app.id()).orElseThrow().document()).isEqualTo("{\"v\":2}");

        // another workspace sees none of it
        assertThat(apps.publish(otherWorkspace, app.id(), "", null)).isEmpty();
        assertThat(apps.versions(otherWorkspace, app.id())).isEmpty();
        assertThat(apps.version(otherWorkspace, app.id(), first.id())).isEmpty();
        assertThat(apps.restore(otherWorkspace, app.id(), first.id())).isEmpty();

        // deleting the app deletes its versions
        apps.delete(workspace, app.id());
        assertThat(jdbc.one("SELECT COUNT(*) AS n FROM app_version", row -> row.getInt("n"))).contains(0);
    }

    @Test
    void end_users_are_one_per_app_and_user_string() {
        JdbcEndUserRepository users = new JdbcEndUserRepository(jdbc);
        AppRecord other = apps.create(workspace, "Other", "workflow", "", "0.6.0", "{}");
        String alice = users.endUser(workspace, app.id(), "alice");
        assertThat(users.endUser(workspace, app.id(), "alice")).isEqualTo(alice);
        assertThat(new JdbcEndUserRepository(jdbc).endUser(workspace, app.id(), "alice")).isEqualTo(alice);
        assertThat(users.endUser(workspace, other.id(), "alice")).isNotEqualTo(alice);
        assertThat(users.sessionId(workspace, app.id(), alice)).contains("alice");
        assertThat(users.sessionId(otherWorkspace, app.id(), alice)).isEmpty();
        assertThat(users.sessionId(workspace, other.id(), alice)).isEmpty();
        assertThat(users.find(workspace, app.id(), alice)).get().satisfies(user -> {
            assertThat(user.sessionId()).isEqualTo("alice");
            assertThat(user.appId()).isEqualTo(app.id());
            assertThat(user.type()).isEqualTo("service_api");
            assertThat(user.createdAt()).isNotNull();
        });
        assertThat(users.find(otherWorkspace, app.id(), alice)).isEmpty();
        assertThat(users.find(workspace, other.id(), alice)).isEmpty();
        assertThat(users.find(workspace, app.id(), "not-a-uuid")).isEmpty();
    }

    @Test
    void uploaded_files_keep_their_bytes_and_stay_in_their_workspace() {
        JdbcUploadFileRepository files = new JdbcUploadFileRepository(jdbc);
        byte[] content = "hello, file".getBytes(StandardCharsets.UTF_8);
        UploadFileRecord file = files.create(workspace, app.id(), "end_user", "u1", "a.txt", "txt", "text/plain", content);
        assertThat(files.find(workspace, file.id())).map(UploadFileRecord::size).contains((long) content.length);
        assertThat(files.content(workspace, file.id())).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(content));
        assertThat(files.find(otherWorkspace, file.id())).isEmpty();
        assertThat(files.content(otherWorkspace, file.id())).isEmpty();
        assertThat(files.find(workspace, "not-an-id")).isEmpty();
    }

    /** Returns once the clock reads later than the instant: the next record is strictly newer. */
    private static void after(Instant instant) {
        while (!Instant.now().isAfter(instant)) {
            Thread.onSpinWait();
        }
    }

    @Test
    void conversations_page_by_user_in_either_order_and_rename_and_delete_within_their_workspace() throws Exception {
        ConversationRecord a = conversations.create(workspace, app.id(), "u1", "a");
        after(a.createdAt());
        ConversationRecord b = conversations.create(workspace, app.id(), "u1", "b");
        after(b.createdAt());
        ConversationRecord c = conversations.create(workspace, app.id(), "u1", "c");
        conversations.create(workspace, app.id(), "u2", "not mine");

        assertThat(conversations.list(workspace, app.id(), "u1", null, 2, "-created_at"))
                .extracting(ConversationRecord::name).containsExactly("c", "b");
        assertThat(conversations.list(workspace, app.id(), "u1", b.id(), 2, "-created_at"))
                .extracting(ConversationRecord::name).containsExactly("a");
        assertThat(conversations.list(workspace, app.id(), "u1", null, 5, "created_at"))
                .extracting(ConversationRecord::name).containsExactly("a", "b", "c");
        // a last id of another user's conversation finds nothing rather than leaking its position
        ConversationRecord foreign = conversations.list(workspace, app.id(), "u2", null, 1, null).get(0);
        assertThat(conversations.list(workspace, app.id(), "u1", foreign.id(), 5, null)).isEmpty();
        assertThat(conversations.list(otherWorkspace, app.id(), "u1", null, 5, null)).isEmpty();

        assertThat(conversations.rename(workspace, c.id(), "  renamed  ")).map(ConversationRecord::name).contains("renamed");
        assertThat(conversations.rename(otherWorkspace, c.id(), "x")).isEmpty();
        assertThat(conversations.delete(otherWorkspace, a.id())).isFalse();
        assertThat(conversations.delete(workspace, a.id())).isTrue();
        assertThat(conversations.find(workspace, a.id())).isEmpty();
    }

    @Test
    void messages_keep_inputs_and_tokens_and_take_one_feedback_each() {
        ConversationRecord conversation = conversations.create(workspace, app.id(), "u1", "");
        String id = UUID.randomUUID().toString();
        conversations.messageStarted(new MessageRecord(id, conversation.id(), workspace, app.id(), null, "hi", null,
                "running", null, Instant.now(), null, "{\"x\":1}", 0, null));
        conversations.messageFinished(new MessageRecord(id, conversation.id(), workspace, app.id(), null, "hi", "hello",
                "succeeded", null, null, Instant.now(), null, 42, 120L), Map.of());
        MessageRecord stored = conversations.message(workspace, id).orElseThrow();
        assertThat(stored.inputs()).isEqualTo("{\"x\":1}");
        assertThat(stored.totalTokens()).isEqualTo(42);
        assertThat(stored.elapsedMillis()).isEqualTo(120L);
        assertThat(conversations.message(otherWorkspace, id)).isEmpty();
        assertThat(conversations.appMessages(workspace, app.id(), 0, 10)).extracting(MessageRecord::id).containsExactly(id);

        conversations.feedback(new FeedbackRecord(id, workspace, app.id(), "like", null, "user", "u1", null, null));
        conversations.feedback(new FeedbackRecord(id, workspace, app.id(), "dislike", "wrong", "user", "u1", null, null));
        assertThat(conversations.feedbacks(workspace, List.of(id)).get(id).rating()).isEqualTo("dislike");
        assertThat(conversations.appFeedbacks(workspace, app.id(), 0, 10)).hasSize(1);
        assertThat(conversations.feedbacks(otherWorkspace, List.of(id))).isEmpty();
        conversations.feedback(new FeedbackRecord(id, workspace, app.id(), null, null, "user", "u1", null, null));
        assertThat(conversations.feedbacks(workspace, List.of(id))).isEmpty();
    }

    @Test
    void runs_remember_who_started_them_and_page_by_filter() {
        JdbcRunRepository runs = new JdbcRunRepository(jdbc);
        for (int i = 0; i < 3; i++) {
            String id = UUID.randomUUID().toString();
            runs.started(new RunRecord(id, workspace, app.id(), "running", "{}", null, null, null, 0, 0, 0,
                    Instant.now().plusMillis(i), null, "app-run", i == 0 ? "eu-1" : "eu-2"));
            runs.finished(new RunRecord(id, workspace, app.id(), i == 2 ? "failed" : "succeeded", null, "{}", null, 5L,
                    1, 0, 0, null, Instant.now()));
        }
        runs.started(new RunRecord(UUID.randomUUID().toString(), workspace, app.id(), "running", "{}", null, null, null,
                0, 0, 0, Instant.now(), null));

        assertThat(runs.count(workspace, app.id(), null, null, null)).isEqualTo(4);
        assertThat(runs.count(workspace, app.id(), null, "app-run", null)).isEqualTo(3);
        assertThat(runs.count(workspace, app.id(), "succeeded", "app-run", "eu-2")).isEqualTo(1);
        assertThat(runs.list(workspace, app.id(), null, "app-run", null, 0, 2)).hasSize(2)
                .allSatisfy(run -> assertThat(run.triggeredFrom()).isEqualTo("app-run"));
        assertThat(runs.list(workspace, app.id(), null, "debugging", null, 0, 10)).singleElement()
                .satisfies(run -> assertThat(run.createdBy()).isNull());
        assertThat(runs.count(otherWorkspace, app.id(), null, null, null)).isZero();
    }

    @Test
    void runs_are_found_by_a_keyword_of_their_inputs_or_outputs_and_by_when_they_started() {
        JdbcRunRepository runs = new JdbcRunRepository(jdbc);
        Instant noon = Instant.parse("2026-11-25T12:00:00Z");
        String[] inputs = {"{\"name\": \"Ada Lovelace\"}", "{\"name\": \"100% cotton\"}", "{\"name\": \"Bob\"}"};
        for (int i = 0; i < 3; i++) {
            String id = UUID.randomUUID().toString();
            runs.started(new RunRecord(id, workspace, app.id(), "running", inputs[i], null, null, null, 0, 0, 0,
                    noon.plusSeconds(3600L * i), null, "app-run", "eu-1"));
            runs.finished(new RunRecord(id, workspace, app.id(), "succeeded", null, "{\"greeting\": \"Hello " + i + "\"}",
                    null, 5L, 1, 0, 0, null, noon.plusSeconds(3600L * i + 1)));
        }
        assertThat(runs.list(workspace, app.id(), new RunFilter(null, null, null, "ada", null, null), 0, 10))
                .singleElement().satisfies(run -> assertThat(run.inputs()).contains("Lovelace"));
        assertThat(runs.count(workspace, app.id(), new RunFilter(null, null, null, "hello 2", null, null))).isEqualTo(1);
        assertThat(runs.count(workspace, app.id(), new RunFilter(null, null, null, "%", null, null)))
                .as("a % is a character to find, not a wildcard").isEqualTo(1);
        assertThat(runs.count(workspace, app.id(), new RunFilter(null, null, null, "_", null, null))).isZero();
        assertThat(runs.count(workspace, app.id(), new RunFilter(null, null, null, null, noon.plusSeconds(3600), null)))
                .isEqualTo(2);
        assertThat(runs.count(workspace, app.id(), new RunFilter(null, null, null, null, noon, noon.plusSeconds(3599))))
                .isEqualTo(1);
        assertThat(runs.count(workspace, app.id(), new RunFilter(null, null, null, null, noon, noon.plusSeconds(3600))))
                .as("the bounds are both in").isEqualTo(2);
        assertThat(runs.count(otherWorkspace, app.id(), new RunFilter(null, null, null, "ada", null, null))).isZero();
        assertThat(runs.count(workspace, app.id(), new RunFilter(null, null, null, "EU-1", null, null)))
                .as("the end user who started them").isEqualTo(3);
        String first = runs.list(workspace, app.id(), new RunFilter(null, null, null, null, null, null), 0, 1).get(0).id();
        assertThat(runs.list(workspace, app.id(), new RunFilter(null, null, null, first.toUpperCase(java.util.Locale.ROOT),
                null, null), 0, 10)).extracting(RunRecord::id).containsExactly(first);
    }

    @Test
    void annotations_are_kept_per_app_found_by_keyword_and_counted() {
        JdbcAnnotationRepository annotations = new JdbcAnnotationRepository(jdbc);
        var first = annotations.create(workspace, app.id(), "What is Weft?", "An orchestration platform.");
        annotations.create(workspace, app.id(), "Who made it?", "Its founding engineers, 100% of them.");
        assertThat(annotations.count(workspace, app.id(), null)).isEqualTo(2);
        assertThat(annotations.list(workspace, app.id(), "weft", 0, 10)).singleElement()
                .satisfies(a -> assertThat(a.id()).isEqualTo(first.id()));
        // LIKE's wildcards in a keyword are plain characters
        assertThat(annotations.list(workspace, app.id(), "100%", 0, 10)).hasSize(1);
        assertThat(annotations.list(workspace, app.id(), "_", 0, 10)).isEmpty();
        assertThat(annotations.list(otherWorkspace, app.id(), null, 0, 10)).isEmpty();

        annotations.hit(workspace, first.id());
        assertThat(annotations.update(workspace, app.id(), first.id(), "What is Weft?", "A platform.")).hasValueSatisfying(
                a -> assertThat(a.hitCount()).isEqualTo(1));
        assertThat(annotations.update(otherWorkspace, app.id(), first.id(), "x", "y")).isEmpty();
        assertThat(annotations.delete(otherWorkspace, app.id(), first.id())).isFalse();
        assertThat(annotations.delete(workspace, app.id(), first.id())).isTrue();

        assertThat(annotations.setting(workspace, app.id())).isEmpty();
        annotations.saveSetting(workspace, new dev.weft.platform.store.AnnotationRepository.Setting(app.id(), true, 0.9,
                "local", "bge-small-en-v1.5"));
        annotations.saveSetting(workspace, new dev.weft.platform.store.AnnotationRepository.Setting(app.id(), true, 0.8,
                "local", "bge-small-en-v1.5"));
        assertThat(annotations.setting(workspace, app.id())).hasValueSatisfying(
                setting -> assertThat(setting.scoreThreshold()).isEqualTo(0.8));
        assertThat(annotations.setting(otherWorkspace, app.id())).isEmpty();
    }

    @Test
    void statistics_add_up_messages_end_users_tokens_and_model_costs_per_day() {
        JdbcAppStatisticsRepository statistics = new JdbcAppStatisticsRepository(jdbc);
        JdbcRunRepository runs = new JdbcRunRepository(jdbc);
        String run = UUID.randomUUID().toString();
        runs.started(new RunRecord(run, workspace, app.id(), "running", "{}", null, null, null, 0, 0, 0, Instant.now(),
                null, "app-run", "u1"));
        for (String user : List.of("u1", "u1", "u2")) {
            ConversationRecord conversation = conversations.create(workspace, app.id(), user, "");
            String id = UUID.randomUUID().toString();
            conversations.messageStarted(new MessageRecord(id, conversation.id(), workspace, app.id(), run, "q", null,
                    "running", null, Instant.now(), null));
            conversations.messageFinished(new MessageRecord(id, conversation.id(), workspace, app.id(), run, "q", "a",
                    "succeeded", null, null, Instant.now(), null, 10, 5L), Map.of());
        }
        new JdbcModelSettingsRepository(jdbc).recordUsage(new dev.weft.platform.store.ModelSettingsRepository.Usage(
                workspace, run, "llm", "openai", "gpt", "llm", 7, 3, new java.math.BigDecimal("0.0042"), "USD", 5,
                "succeeded", null, Instant.now()));

        var days = statistics.days(workspace, app.id(), Instant.now().minusSeconds(86_400));
        assertThat(days).singleElement().satisfies(day -> {
            assertThat(day.messages()).isEqualTo(3);
            assertThat(day.conversations()).isEqualTo(3);
            assertThat(day.endUsers()).isEqualTo(2);
            assertThat(day.tokens()).isEqualTo(30);
        });
        assertThat(statistics.dailyCosts(workspace, app.id(), Instant.now().minusSeconds(86_400)).values())
                .singleElement().satisfies(cost -> {
                    assertThat(cost.promptTokens()).isEqualTo(7);
                    assertThat(cost.price()).isEqualByComparingTo("0.0042");
                });
        assertThat(statistics.runCosts(workspace, List.of(run))).containsKey(run);
        assertThat(statistics.runCosts(otherWorkspace, List.of(run))).isEmpty();
        assertThat(statistics.days(otherWorkspace, app.id(), Instant.EPOCH)).isEmpty();
    }
}
