package dev.weft.web.internal.service;

import dev.weft.platform.engine.AppDefinition;
import dev.weft.platform.store.AppRepository;
import dev.weft.platform.store.AppVersionRecord;
import dev.weft.platform.store.EndUserRepository;
import dev.weft.web.internal.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The apps the service API serves: each app's published version (parsed once: versions never
 * change), its end users, and the limit on runs in progress per app.
 */
@Component(service = ServiceApps.class, configurationPid = ServiceApps.PID)
@Designate(ocd = ServiceApps.Config.class)
public final class ServiceApps {

    /** Settings come from {@code conf/dev.weft.service.cfg}. */
    public static final String PID = "dev.weft.service";

    @ObjectClassDefinition(name = "Weft service API")
    public @interface Config {
        @AttributeDefinition(description = "Most runs in progress per app (Dify's APP_MAX_ACTIVE_REQUESTS); 0 for no limit")
        int app_max_active_requests() default 256;

        @AttributeDefinition(description = "Longest wait of a blocking request for its run, in seconds")
        int blocking_timeout_seconds() default 600;

        @AttributeDefinition(description = "Most service API requests per key and minute (429 too_many_requests beyond); 0 for no limit")
        int key_requests_per_minute() default 0;
    }

    private static final int MAX_CACHED = 1000;

    private final AppRepository apps;
    private final EndUserRepository endUsers;
    private final Map<String, AppDefinition> definitions = new ConcurrentHashMap<>();
    /** Which version each app serves, looked up at most once a second per app (publishing here forgets it at once). */
    private final Map<String, Current> current = new ConcurrentHashMap<>();
    static final long CURRENT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private record Current(AppVersionRecord version, long until) {
    }
    private final Map<String, Semaphore> active = new ConcurrentHashMap<>();
    private volatile Config config;

    @Activate
    public ServiceApps(@Reference AppRepository apps, @Reference EndUserRepository endUsers, Config config) {
        this.apps = apps;
        this.endUsers = endUsers;
        this.config = config;
    }

    @Modified
    void modified(Config changed) {
        this.config = changed;
        active.clear();
    }

    /**
     * The app's published version; {@code app_unavailable} when it was never published (or is gone).
     *
     * @param versionId a version to run instead of the current one; null for the current one
     */
    public PublishedApp published(String workspaceId, String appId, String versionId) {
        AppVersionRecord version = versionId == null ? current(workspaceId, appId)
                : apps.version(workspaceId, appId, versionId).orElse(null);
        if (version == null) {
            if (versionId != null) {
                throw ServiceError.notFound("Workflow not found.");
            }
            throw new ServiceError(400, "app_unavailable", "App unavailable, please check your app configurations.");
        }
        AppDefinition definition = definitions.get(version.id());
        if (definition == null) {
            definition = new AppDefinition(version.mode(), version.name(), version.description(), version.dslVersion(),
                    parse(version.document()));
            if (definitions.size() >= MAX_CACHED) {
                definitions.clear();
            }
            definitions.put(version.id(), definition);
        }
        return new PublishedApp(workspaceId, appId, version, definition);
    }

    private AppVersionRecord current(String workspaceId, String appId) {
        String key = workspaceId + '/' + appId;
        long now = System.nanoTime();
        Current known = current.get(key);
        if (known != null && now - known.until() < 0) {
            return known.version();
        }
        AppVersionRecord version = apps.published(workspaceId, appId).orElse(null);
        if (current.size() >= MAX_CACHED) {
            current.clear();
        }
        current.put(key, new Current(version, now + CURRENT_NANOS));
        return version;
    }

    /** Forgets which version an app serves (it was just published, restored or deleted here). */
    public void forget(String workspaceId, String appId) {
        current.remove(workspaceId + '/' + appId);
    }

    /** The app's end user for the caller's {@code user} string; the string is required. */
    public String endUser(String workspaceId, String appId, String user) {
        if (user == null || user.isBlank()) {
            throw ServiceError.invalid("user is required");
        }
        if (user.length() > 255) {
            throw ServiceError.invalid("user must be at most 255 characters");
        }
        return endUsers.endUser(workspaceId, appId, user);
    }

    /** One of the app's end users by id; empty for another app's or an unknown one. */
    java.util.Optional<dev.weft.platform.store.EndUserRecord> endUserById(String workspaceId, String appId, String id) {
        return endUsers.find(workspaceId, appId, id);
    }

    /** The end user of the caller's {@code user} string, if that user has called the app before. */
    java.util.Optional<String> knownEndUser(String workspaceId, String appId, String user) {
        if (user == null || user.isBlank() || user.length() > 255) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(endUsers.endUser(workspaceId, appId, user));
    }

    /**
     * Takes one of the app's run slots; {@code too_many_requests} (429) when all are taken. The
     * caller releases it when the run ends.
     */
    public Runnable admit(String appId) {
        int limit = config.app_max_active_requests();
        if (limit <= 0) {
            return () -> { };
        }
        Semaphore slots = active.computeIfAbsent(appId, id -> new Semaphore(limit));
        if (!slots.tryAcquire()) {
            throw new ServiceError(429, "too_many_requests", "Too many requests. Please try again later.");
        }
        boolean[] released = new boolean[1];
        return () -> {
            synchronized (released) {
                if (!released[0]) {
                    released[0] = true;
                    slots.release();
                }
            }
        };
    }

    public long blockingTimeoutSeconds() {
        return config.blocking_timeout_seconds();
    }

    AppRepository apps() {
        return apps;
    }

    static Map<String, Object> parse(String json) {
        return Json.object(json);
    }
}
