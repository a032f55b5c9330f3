package dev.weft.platform.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.platform.store.AppRecord;
import dev.weft.platform.store.ConversationRecord;
import dev.weft.platform.store.ConversationVariableRecord;
import dev.weft.platform.store.MessageRecord;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConversationsTest {

    @TempDir
    Path data;

    private Database database;
    private JdbcConversationRepository conversations;
    private JdbcAppRepository apps;
    private String workspace;
    private String otherWorkspace;
    private AppRecord app;

    @BeforeEach
    void open() {
        database = Database.open("", data, 2, getClass().getClassLoader());
        Jdbc jdbc = new Jdbc(database.dataSource());
        conversations = new JdbcConversationRepository(jdbc);
        apps = new JdbcAppRepository(jdbc);
        workspace = new JdbcWorkspaceRepository(database.dataSource()).defaultWorkspace().id();
        otherWorkspace = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO workspace (id, name) VALUES (?, 'Other')", UUID.fromString(otherWorkspace));
        app = apps.create(workspace, "Chat", "advanced-chat", "", "0.6.0", "{}");
    }

    @AfterEach
    void close() {
        database.close();
    }

    private MessageRecord message(ConversationRecord conversation, String query, String answer, String status) {
        return new MessageRecord(UUID.randomUUID().toString(), conversation.id(), workspace, app.id(),
                UUID.randomUUID().toString(), query, answer, status, null, null, null);
    }

    @Test
    void messages_and_the_variables_their_runs_left_are_kept_per_conversation() {
        ConversationRecord first = conversations.create(workspace, app.id(), "user-1", "");
        ConversationRecord second = conversations.create(workspace, app.id(), "user-2", "");
        MessageRecord turn = message(first, "hello", null, "running");
        conversations.messageStarted(turn);
        assertThat(conversations.messageCount(workspace, first.id())).isEqualTo(1);

        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("name", "\"Ada\"");
        variables.put("count", "1");
        conversations.messageFinished(new MessageRecord(turn.id(), first.id(), workspace, app.id(), turn.runId(), "hello",
                "hi Ada", "succeeded", null, null, null), variables);
        conversations.messageFinished(message(first, "again", "hi again", "succeeded"), Map.of("count", "2"));

        assertThat(conversations.variables(workspace, first.id())).extracting(ConversationVariableRecord::name,
                ConversationVariableRecord::value).containsExactly(org.assertj.core.groups.Tuple.tuple("count", "2"),
                org.assertj.core.groups.Tuple.tuple("name", "\"Ada\""));
        assertThat(conversations.variables(workspace, second.id())).isEmpty();
        assertThat(conversations.messages(workspace, first.id())).first().satisfies(m -> {
            assertThat(m.answer()).isEqualTo("hi Ada");
            assertThat(m.status()).isEqualTo("succeeded");
            assertThat(m.finishedAt()).isNotNull();
        });
    }

    @Test
    void another_workspace_sees_nothing_of_a_conversation() {
        ConversationRecord conversation = conversations.create(workspace, app.id(), null, "");
        conversations.messageFinished(message(conversation, "q", "a", "succeeded"), Map.of("v", "1"));

        assertThat(conversations.find(otherWorkspace, conversation.id())).isEmpty();
        assertThat(conversations.variables(otherWorkspace, conversation.id())).isEmpty();
        assertThat(conversations.messages(otherWorkspace, conversation.id())).isEmpty();
        assertThat(conversations.messageCount(otherWorkspace, conversation.id())).isZero();
        assertThat(conversations.find(workspace, "not-a-uuid")).isEmpty();
    }

    @Test
    void a_variable_is_set_in_its_own_workspace_only_and_kept_beside_the_others() {
        ConversationRecord conversation = conversations.create(workspace, app.id(), "user-1", "");
        conversations.messageFinished(message(conversation, "q", "a", "succeeded"), Map.of("count", "1", "topic", "\"x\""));

        assertThat(conversations.setVariable(otherWorkspace, conversation.id(), "count", "9")).isEmpty();
        assertThat(conversations.setVariable(workspace, "not-a-uuid", "count", "9")).isEmpty();
        assertThat(conversations.setVariable(workspace, java.util.UUID.randomUUID().toString(), "count", "9")).isEmpty();
        assertThat(conversations.setVariable(workspace, conversation.id(), "count", "2"))
                .get().extracting(ConversationVariableRecord::value).isEqualTo("2");
        assertThat(conversations.setVariable(workspace, conversation.id(), "fresh", "[1,2]"))
                .get().extracting(ConversationVariableRecord::value).isEqualTo("[1,2]");

        assertThat(conversations.variables(workspace, conversation.id()))
                .extracting(ConversationVariableRecord::name, ConversationVariableRecord::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("count", "2"),
                        org.assertj.core.groups.Tuple.tuple("fresh", "[1,2]"),
                        org.assertj.core.groups.Tuple.tuple("topic", "\"x\""));
    }

    @Test
    void a_messages_files_and_citations_are_kept_in_its_workspace() {
        ConversationRecord conversation = conversations.create(workspace, app.id(), "user-1", "");
        MessageRecord cited = message(conversation, "q", "a", "succeeded");
        MessageRecord plain = message(conversation, "q2", "a2", "succeeded");
        conversations.messageStarted(cited);
        conversations.messageStarted(plain);

        conversations.retrieverResources(workspace, cited.id(), "[{\"segment_id\":\"s1\"}]");
        conversations.retrieverResources(otherWorkspace, plain.id(), "[{\"segment_id\":\"intruder\"}]");
        conversations.messageFiles(workspace, cited.id(), "[{\"id\":\"f1\"}]");

        assertThat(conversations.retrieverResources(workspace, List.of(cited.id(), plain.id(), "not-a-uuid")))
                .containsExactly(Map.entry(cited.id(), "[{\"segment_id\":\"s1\"}]"));
        assertThat(conversations.retrieverResources(otherWorkspace, List.of(cited.id(), plain.id()))).isEmpty();
        assertThat(conversations.messageFiles(workspace, List.of(cited.id(), plain.id())))
                .containsExactly(Map.entry(cited.id(), "[{\"id\":\"f1\"}]"));
    }

    @Test
    void a_failed_write_leaves_neither_the_message_nor_the_variables_changed() {
        ConversationRecord conversation = conversations.create(workspace, app.id(), null, "");
        MessageRecord turn = message(conversation, "q", null, "running");
        conversations.messageStarted(turn);
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("ok", "1");
        variables.put("x".repeat(300), "2");
        assertThatThrownBy(() -> conversations.messageFinished(new MessageRecord(turn.id(), conversation.id(), workspace,
                app.id(), turn.runId(), "q", "answer", "succeeded", null, null, null), variables))
                .isInstanceOf(StoreException.class);
        assertThat(conversations.variables(workspace, conversation.id())).isEmpty();
        assertThat(conversations.messages(workspace, conversation.id())).singleElement()
                .satisfies(m -> assertThat(m.status()).isEqualTo("running"));
        assertThat(conversations.failInterrupted("stopped")).isEqualTo(1);
        assertThat(conversations.messages(workspace, conversation.id())).singleElement()
                .satisfies(m -> assertThat(m.status()).isEqualTo("failed"));
    }

    @Test
    void deleting_the_app_deletes_its_conversations() {
        ConversationRecord conversation = conversations.create(workspace, app.id(), null, "");
        conversations.messageFinished(message(conversation, "q", "a", "succeeded"), Map.of("v", "1"));
        apps.delete(workspace, app.id());
        assertThat(conversations.find(workspace, conversation.id())).isEmpty();
    }
}
