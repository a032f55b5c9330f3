package dev.weft.platform.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.platform.store.AppRecord;
import dev.weft.platform.store.NodeExecutionRecord;
import dev.weft.platform.store.RunRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppsAndRunsTest {

    @TempDir
    Path data;

    private Database database;
    private JdbcAppRepository apps;
    private JdbcRunRepository runs;
    private String workspace;
    private String otherWorkspace;

    @BeforeEach
    void open() {
        database = Database.open("", data, 2, getClass().getClassLoader());
        Jdbc jdbc = new Jdbc(database.dataSource());
        apps = new JdbcAppRepository(jdbc);
        runs = new JdbcRunRepository(jdbc);
        workspace = new JdbcWorkspaceRepository(database.dataSource()).defaultWorkspace().id();
        otherWorkspace = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO workspace (id, name) VALUES (?, 'Other')", UUID.fromString(otherWorkspace));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void apps_are_created_listed_updated_and_deleted_within_their_workspace() {
        AppRecord app = apps.create(workspace, "Summariser", "workflow", "sums up", "0.6.0", "{\"app\":{}}");

        assertThat(apps.find(workspace, app.id())).contains(app);
        assertThat(apps.list(workspace)).containsExactly(app);
        assertThat(apps.update(workspace, app.id(), "Renamed", "workflow", "", "0.6.0", "{}"))
                .get().extracting(AppRecord::name).isEqualTo("Renamed");
        assertThat(apps.delete(workspace, app.id())).isTrue();
        assertThat(apps.find(workspace, app.id())).isEmpty();
    }

    @Test
    void another_workspace_sees_nothing_of_an_app_exactly_as_with_a_random_id() {
        AppRecord app = apps.create(workspace, "Private", "workflow", "", "0.6.0", "{}");

        assertThat(apps.find(otherWorkspace, app.id())).isEmpty();
        assertThat(apps.list(otherWorkspace)).isEmpty();
        assertThat(apps.update(otherWorkspace, app.id(), "Stolen", "workflow", "", "0.6.0", "{}")).isEmpty();
        assertThat(apps.delete(otherWorkspace, app.id())).isFalse();
        assertThat(apps.find(workspace, "not-a-uuid")).isEmpty();
        assertThat(apps.find(workspace, app.id())).get().extracting(AppRecord::name).isEqualTo("Private");
    }

    @Test
    void a_run_and_its_node_executions_are_recorded_as_they_happen() {
        AppRecord app = apps.create(workspace, "App", "workflow", "", "0.6.0", "{}");
        String runId = UUID.randomUUID().toString();
        runs.started(new RunRecord(runId, workspace, app.id(), "running", "{\"q\":1}", null, null, null, 0, 0, 0,
                Instant.now(), null));
        String execution = UUID.randomUUID().toString();
        runs.nodeStarted(new NodeExecutionRecord(execution, runId, workspace, "start", "start", "Start", 1, null, null,
                null, "running", null, null, null, null, null, null, null, Instant.now(), null));

        assertThat(runs.find(workspace, runId)).get().extracting(RunRecord::status).isEqualTo("running");

        runs.nodeFinished(new NodeExecutionRecord(execution, runId, workspace, "start", "start", "Start", 1, null, null,
                null, "succeeded", "{}", "{}", "{\"q\":1}", "{}", null, null, 3L, null, Instant.now()));
        runs.finished(new RunRecord(runId, workspace, app.id(), "succeeded", "{\"q\":1}", "{\"a\":2}", null, 10L, 1, 0,
                0, null, Instant.now()));

        assertThat(runs.find(workspace, runId)).get().satisfies(run -> {
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.outputs()).isEqualTo("{\"a\":2}");
            assertThat(run.finishedAt()).isNotNull();
        });
        assertThat(runs.executions(workspace, runId)).singleElement()
                .satisfies(e -> assertThat(e.outputs()).isEqualTo("{\"q\":1}"));
        assertThat(runs.find(otherWorkspace, runId)).isEmpty();
    }

    @Test
    void runs_left_running_by_a_crash_are_marked_failed() {
        AppRecord app = apps.create(workspace, "App", "workflow", "", "0.6.0", "{}");
        String runId = UUID.randomUUID().toString();
        runs.started(new RunRecord(runId, workspace, app.id(), "running", "{}", null, null, null, 0, 0, 0, null, null));

        assertThat(runs.failInterrupted("interrupted")).isEqualTo(1);
        assertThat(runs.find(workspace, runId)).get().satisfies(run -> {
            assertThat(run.status()).isEqualTo("failed");
            assertThat(run.error()).isEqualTo("interrupted");
        });
        assertThat(runs.failInterrupted("again")).isZero();
    }
}
