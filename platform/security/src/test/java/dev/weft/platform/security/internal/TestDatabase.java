package dev.weft.platform.security.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A private in-memory H2 database with the store's migrations applied in version order, read from
 * the store module's sources, so that the tests run against the schema that ships.
 */
final class TestDatabase {

    static final Path MIGRATIONS = Path.of("../store/src/main/resources/db/migration");

    private final JdbcDataSource dataSource = new JdbcDataSource();

    TestDatabase() {
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (Path script : migrations()) {
                statement.execute("RUNSCRIPT FROM '" + script.toAbsolutePath().toString().replace("'", "''") + "'");
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not migrate the test database", e);
        }
    }

    /** The migration scripts, {@code V<n>__*.sql}, by ascending version. */
    static List<Path> migrations() throws IOException {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            return files.filter(path -> path.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(TestDatabase::version))
                    .toList();
        }
    }

    private static int version(Path script) {
        String name = script.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    DataSource dataSource() {
        return dataSource;
    }

    String defaultWorkspace() {
        return rows("SELECT id FROM workspace WHERE is_default").get(0).get("ID");
    }

    /** Inserts an app row (the minimum the app table needs) and answers its id. */
    String insertApp(String workspaceId) {
        String id = UUID.randomUUID().toString();
        update("INSERT INTO app (id, workspace_id, name, mode, dsl_version, document) VALUES (?, ?, 'App', 'workflow', '0.1.5', '{}')",
                UUID.fromString(id), UUID.fromString(workspaceId));
        return id;
    }

    /** Inserts a workspace row and answers its id. */
    String insertWorkspace(String name) {
        String id = UUID.randomUUID().toString();
        update("INSERT INTO workspace (id, name) VALUES (?, ?)", UUID.fromString(id), name);
        return id;
    }

    int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row of a query, each column (upper-case name) as text. */
    List<Map<String, String>> rows(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<Map<String, String>> result = new ArrayList<>();
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int c = 1; c <= columns; c++) {
                        row.put(rows.getMetaData().getColumnLabel(c).toUpperCase(java.util.Locale.ROOT),
                                rows.getString(c));
                    }
                    result.add(row);
                }
                return result;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every value of every row of a table, as text: to check that no secret was stored. */
    String dump(String table) {
        return rows("SELECT * FROM " + table).toString();
    }
}
