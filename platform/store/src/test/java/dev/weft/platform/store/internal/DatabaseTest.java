package dev.weft.platform.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.core.ValidationException;
import dev.weft.platform.store.Workspace;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @TempDir
    Path data;

    @Test
    void should_create_the_database_with_one_default_workspace_on_first_open() {
        try (Database database = open()) {
            JdbcWorkspaceRepository workspaces = new JdbcWorkspaceRepository(database.dataSource());

            assertThat(database.migrationsApplied()).isPositive();
            assertThat(workspaces.list()).singleElement()
                    .satisfies(w -> assertThat(w.name()).isEqualTo("Default workspace"));
            assertThat(workspaces.defaultWorkspace()).isEqualTo(workspaces.list().get(0));
        }
    }

    @Test
    void should_keep_records_and_apply_no_migration_when_reopened() {
        String id;
        try (Database database = open()) {
            JdbcWorkspaceRepository workspaces = new JdbcWorkspaceRepository(database.dataSource());
            id = workspaces.defaultWorkspace().id();
            workspaces.rename(id, "Research");
        }

        try (Database database = open()) {
            assertThat(database.migrationsApplied()).isZero();
            assertThat(new JdbcWorkspaceRepository(database.dataSource()).find(id))
                    .get().extracting(Workspace::name).isEqualTo("Research");
        }
    }

    @Test
    void should_answer_empty_for_unknown_and_malformed_ids() {
        try (Database database = open()) {
            JdbcWorkspaceRepository workspaces = new JdbcWorkspaceRepository(database.dataSource());

            assertThat(workspaces.find("00000000-0000-0000-0000-000000000000")).isEmpty();
            assertThat(workspaces.find("not-a-uuid' OR 1=1 --")).isEmpty();
            assertThat(workspaces.rename("00000000-0000-0000-0000-000000000000", "x")).isEmpty();
        }
    }

    @Test
    void should_refuse_blank_and_overlong_names_and_keep_the_old_one() {
        try (Database database = open()) {
            JdbcWorkspaceRepository workspaces = new JdbcWorkspaceRepository(database.dataSource());
            Workspace before = workspaces.defaultWorkspace();

            assertThatThrownBy(() -> workspaces.rename(before.id(), "   "))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("/name");
            assertThatThrownBy(() -> workspaces.rename(before.id(), "x".repeat(101)))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("at most 100");
            assertThat(workspaces.defaultWorkspace()).isEqualTo(before);
        }
    }

    @Test
    void should_keep_short_text_in_rows_and_longer_text_whole() throws Exception {
        String shortText = "s".repeat(Database.IN_ROW_LOB_BYTES / 2);
        String longText = "l".repeat(Database.IN_ROW_LOB_BYTES * 4);
        try (Database database = open()) {
            try (java.sql.Connection connection = database.dataSource().getConnection();
                    java.sql.Statement statement = connection.createStatement()) {
                java.sql.ResultSet setting = statement.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                        + " WHERE SETTING_NAME = 'MAX_LENGTH_INPLACE_LOB'");
                assertThat(setting.next()).isTrue();
                assertThat(setting.getString(1)).isEqualTo(String.valueOf(Database.IN_ROW_LOB_BYTES));
                statement.execute("CREATE TABLE texts (id INT PRIMARY KEY, body CLOB)");
                try (java.sql.PreparedStatement insert = connection.prepareStatement("INSERT INTO texts VALUES (?, ?)")) {
                    insert.setInt(1, 1);
                    insert.setString(2, shortText);
                    insert.executeUpdate();
                    insert.setInt(1, 2);
                    insert.setString(2, longText);
                    insert.executeUpdate();
                }
            }
        }
        try (Database database = open();
                java.sql.Connection connection = database.dataSource().getConnection();
                java.sql.Statement statement = connection.createStatement()) {
            java.sql.ResultSet rows = statement.executeQuery("SELECT body FROM texts ORDER BY id");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo(shortText);
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo(longText);
        }
    }

    private Database open() {
        return Database.open("", data, 2, getClass().getClassLoader());
    }
}
