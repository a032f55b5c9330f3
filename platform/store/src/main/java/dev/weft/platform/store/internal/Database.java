package dev.weft.platform.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The embedded database: an H2 file under the data folder behind a HikariCP pool, migrated by
 * Flyway from the scripts in {@code db/migration}.
 */
final class Database implements AutoCloseable {

    private final HikariDataSource pool;
    private final MigrateResult migrations;

    private Database(HikariDataSource pool, MigrateResult migrations) {
        this.pool = pool;
        this.migrations = migrations;
    }

    /**
     * Opens (creating when needed) and migrates the database.
     *
     * @param url a JDBC URL, or blank for the H2 file {@code <dataFolder>/weft}
     * @param maxPoolSize the most connections the pool keeps
     * @param classLoader where the migration scripts are (the bundle's loader inside OSGi)
     */
    static Database open(String url, Path dataFolder, int maxPoolSize, ClassLoader classLoader) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url == null || url.isBlank() ? defaultUrl(dataFolder) : url);
        HikariConfig config = new HikariConfig();
        config.setPoolName("weft-store");
        config.setDataSource(h2);
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            MigrateResult result = Flyway.configure(classLoader)
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            if (h2.getURL().startsWith("jdbc:h2:")) {
                keepShortTextInRows(pool);
            }
            return new Database(pool, result);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * The H2 file database under a data folder; closed by us, not by H2's shutdown hook. Each
     * connection keeps its 64 statements used last parsed (H2 keeps 8): a run writes with more.
     */
    static String defaultUrl(Path dataFolder) {
        return "jdbc:h2:file:" + dataFolder.resolve("weft").toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64";
    }

    /** The longest text or bytes (16 KiB) that H2 keeps in the row; longer ones go to its LOB store. */
    static final int IN_ROW_LOB_BYTES = 16 * 1024;

    /**
     * Keeps short CLOB and BLOB values (run inputs and outputs, messages, node data) in their rows:
     * H2's separate LOB store costs a write of its own and a clean-up task for each value longer
     * than 256 bytes, its default. A database setting, kept in the file; values written before
     * stay where they are.
     */
    private static void keepShortTextInRows(DataSource pool) {
        try (java.sql.Connection connection = pool.getConnection();
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SET MAX_LENGTH_INPLACE_LOB " + IN_ROW_LOB_BYTES);
        } catch (java.sql.SQLException e) {
            // a database of the operator's (a server, a user without admin rights) runs on as it is
            org.slf4j.LoggerFactory.getLogger(Database.class).warn("Long text stays in H2's LOB store ({}): {}",
                    "SET MAX_LENGTH_INPLACE_LOB was refused", e.getMessage());
        }
    }

    DataSource dataSource() {
        return pool;
    }

    /** The schema version after migrating. */
    String schemaVersion() {
        return migrations.targetSchemaVersion == null ? "0" : migrations.targetSchemaVersion;
    }

    /** How many migrations this start applied. */
    int migrationsApplied() {
        return migrations.migrationsExecuted;
    }

    @Override
    public void close() {
        pool.close();
    }
}
