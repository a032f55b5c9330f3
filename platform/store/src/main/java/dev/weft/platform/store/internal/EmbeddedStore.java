package dev.weft.platform.store.internal;

import dev.weft.platform.store.AppRepository;
import dev.weft.platform.store.ConversationRepository;
import dev.weft.platform.store.ModelSettingsRepository;
import dev.weft.platform.store.RunRepository;
import dev.weft.platform.store.WorkspaceRepository;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the embedded database when the bundle starts and registers the repositories once it is
 * migrated. Opening runs on its own thread so that the rest of the platform starts meanwhile;
 * health stays 503 until the repositories are registered.
 */
@Component(immediate = true, service = {}, configurationPid = EmbeddedStore.PID)
@Designate(ocd = EmbeddedStore.Config.class)
public final class EmbeddedStore {

    /** The configuration's PID: settings come from {@code conf/dev.weft.store.cfg}. */
    public static final String PID = "dev.weft.store";

    /** Settings, from {@code conf/dev.weft.store.cfg} ({@code max.pool.size=...}). */
    @ObjectClassDefinition(name = "Weft store", description = "The embedded relational store")
    public @interface Config {
        @AttributeDefinition(description = "JDBC URL; blank for the H2 file under WEFT_HOME/data")
        String url() default "";

        @AttributeDefinition(description = "Most connections kept open")
        int max_pool_size() default 10;
    }

    /** Service property naming the store a DataSource belongs to. */
    public static final String STORE_PROPERTY = "weft.store";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStore.class);

    private final Thread opener;
    private volatile Database database;
    private volatile ServiceRegistration<?> dataSourceRegistration;
    private volatile ServiceRegistration<?> workspacesRegistration;
    private volatile ServiceRegistration<?> appsRegistration;
    private volatile ServiceRegistration<?> endUsersRegistration;
    private volatile ServiceRegistration<?> filesRegistration;
    private volatile ServiceRegistration<?> storedFilesRegistration;
    private volatile ServiceRegistration<?> annotationsRegistration;
    private volatile ServiceRegistration<?> statisticsRegistration;
    private volatile ServiceRegistration<?> runsRegistration;
    private volatile ServiceRegistration<?> conversationsRegistration;
    private volatile ServiceRegistration<?> modelsRegistration;
    private volatile ServiceRegistration<?> knowledgeRegistration;
    private volatile boolean stopped;

    @Activate
    public EmbeddedStore(BundleContext context, Config config) {
        Path data = Path.of(property(context, "weft.data", System.getProperty("java.io.tmpdir")));
        ClassLoader loader = EmbeddedStore.class.getClassLoader();
        this.opener = Thread.ofVirtual().name("weft-store-open").start(() -> open(context, config, data, loader));
    }

    private void open(BundleContext context, Config config, Path data, ClassLoader loader) {
        long started = System.nanoTime();
        try {
            Database opened = Database.open(config.url(), data, Math.max(1, config.max_pool_size()), loader);
            synchronized (this) {
                if (stopped) {
                    opened.close();
                    return;
                }
                database = opened;
                Dictionary<String, Object> props = new Hashtable<>();
                props.put(STORE_PROPERTY, "main");
                dataSourceRegistration = context.registerService(DataSource.class, opened.dataSource(), props);
                Jdbc jdbc = new Jdbc(opened.dataSource());
                JdbcRunRepository runs = new JdbcRunRepository(jdbc);
                int interrupted = runs.failInterrupted("interrupted: Weft stopped while the run was in progress");
                if (interrupted > 0) {
                    LOG.warn("{} run(s) were in progress when Weft last stopped; they are marked failed", interrupted);
                }
                JdbcConversationRepository conversations = new JdbcConversationRepository(jdbc);
                int unfinished = conversations.failInterrupted("interrupted: Weft stopped while the message was answered");
                if (unfinished > 0) {
                    LOG.warn("{} message(s) were being answered when Weft last stopped; they are marked failed", unfinished);
                }
                appsRegistration = context.registerService(AppRepository.class, new JdbcAppRepository(jdbc), props);
                conversationsRegistration = context.registerService(ConversationRepository.class, conversations, props);
                modelsRegistration = context.registerService(ModelSettingsRepository.class,
                        new JdbcModelSettingsRepository(jdbc), props);
                knowledgeRegistration = context.registerService(dev.weft.platform.store.KnowledgeRepository.class,
                        new JdbcKnowledgeRepository(jdbc), props);
                runsRegistration = context.registerService(RunRepository.class, runs, props);
                endUsersRegistration = context.registerService(dev.weft.platform.store.EndUserRepository.class,
                        new JdbcEndUserRepository(jdbc), props);
                JdbcUploadFileRepository uploads = new JdbcUploadFileRepository(jdbc);
                filesRegistration = context.registerService(dev.weft.platform.store.UploadFileRepository.class,
                        uploads, props);
                storedFilesRegistration = context.registerService(dev.weft.api.file.StoredFiles.class,
                        new JdbcStoredFiles(uploads), props);
                annotationsRegistration = context.registerService(dev.weft.platform.store.AnnotationRepository.class,
                        new JdbcAnnotationRepository(jdbc), props);
                statisticsRegistration = context.registerService(dev.weft.platform.store.AppStatisticsRepository.class,
                        new JdbcAppStatisticsRepository(jdbc), props);
                workspacesRegistration = context.registerService(WorkspaceRepository.class,
                        new JdbcWorkspaceRepository(opened.dataSource()), props);
            }
            LOG.info("Store ready in {} ms: schema version {}, {} migration(s) applied",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), opened.schemaVersion(),
                    opened.migrationsApplied());
        } catch (RuntimeException e) {
            LOG.error("The store could not be opened; Weft stays unhealthy until this is fixed", e);
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        synchronized (this) {
            stopped = true;
        }
        opener.join(TimeUnit.SECONDS.toMillis(30));
        synchronized (this) {
            unregister(workspacesRegistration);
            unregister(conversationsRegistration);
            unregister(modelsRegistration);
            unregister(knowledgeRegistration);
            unregister(runsRegistration);
            unregister(endUsersRegistration);
            unregister(filesRegistration);
            unregister(storedFilesRegistration);
            unregister(annotationsRegistration);
            unregister(statisticsRegistration);
            unregister(appsRegistration);
            unregister(dataSourceRegistration);
            if (database != null) {
                database.close();
                database = null;
            }
        }
    }

    private static void unregister(ServiceRegistration<?> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework unregistered it first
            }
        }
    }

    private static String property(BundleContext context, String name, String fallback) {
        String value = context.getProperty(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
