package dev.weft.web.internal.whiteboard;

import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;
import dev.weft.web.internal.errors.BodyLimitFilter;
import dev.weft.web.internal.errors.ErrorMapper;
import dev.weft.web.internal.errors.RequestBodyInterceptor;
import dev.weft.web.internal.json.Json;
import jakarta.servlet.Servlet;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.glassfish.jersey.media.sse.SseFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.jakartars.whiteboard.JakartarsWhiteboardConstants;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.osgi.util.tracker.ServiceTracker;
import dev.weft.web.internal.auth.AuthFilter;
import dev.weft.web.internal.auth.Guard;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weft's Jakarta RESTful Web Services whiteboard. Every service carrying
 * {@code osgi.jakartars.resource=true} or {@code osgi.jakartars.extension=true}, from any bundle,
 * becomes part of one Jersey application served at {@code /*}. When such services come or go, a
 * new application is built and registered with the servlet whiteboard above the old one, which is
 * then removed: requests never see a half-built application, and a plug-in's resources appear and
 * disappear with its bundle.
 *
 * <p>A set of services that Jersey refuses (two resources claiming one route, say) is not served:
 * the services added since the last good application are left out and named in the log.
 */
@Component(immediate = true, service = WebStatus.class, configurationPid = JaxrsWhiteboard.PID)
@Designate(ocd = JaxrsWhiteboard.Config.class)
public final class JaxrsWhiteboard implements WebStatus {

    /** The configuration's PID: settings come from {@code conf/dev.weft.web.cfg}. */
    public static final String PID = "dev.weft.web";

    /** Settings, from {@code conf/dev.weft.web.cfg} ({@code max.body.bytes=...}). */
    @ObjectClassDefinition(name = "Weft REST whiteboard")
    public @interface Config {
        @AttributeDefinition(description = "Largest request body accepted, in bytes")
        long max_body_bytes() default 32L * 1024 * 1024;

        @AttributeDefinition(description = "Quiet time before rebuilding after a change, in milliseconds")
        long settle_millis() default 50;
    }

    private static final Logger LOG = LoggerFactory.getLogger(JaxrsWhiteboard.class);
    /** How long the first build waits for the framework to finish starting. */
    private static final long STARTUP_WAIT_SECONDS = 30;
    private static final String RESOURCE_FILTER = "(" + JakartarsWhiteboardConstants.JAKARTA_RS_RESOURCE + "=true)";
    private static final String EXTENSION_FILTER = "(" + JakartarsWhiteboardConstants.JAKARTA_RS_EXTENSION + "=true)";

    private final BundleContext context;
    private final Config config;
    private final Guard guard;
    private final Map<Long, Tracked> resources = new HashMap<>();
    private final Map<Long, Tracked> extensions = new HashMap<>();
    /** Counts changes; the application is ready when it was built after the latest one. */
    private final AtomicLong changeCount = new AtomicLong();
    private volatile long builtAtChange = -1;
    private final Set<Long> refused = new HashSet<>();
    private final LinkedBlockingQueue<Boolean> changes = new LinkedBlockingQueue<>();
    private final ServiceTracker<Object, Object> resourceTracker;
    private final ServiceTracker<Object, Object> extensionTracker;
    private final ServiceRegistration<Servlet> starting;
    private final Thread builder;
    private volatile boolean running = true;
    private ServiceRegistration<Servlet> current;
    private Set<Long> currentServices = Set.of();
    private int generation;

    @Activate
    public JaxrsWhiteboard(BundleContext context, Config config, @Reference Guard guard) throws InvalidSyntaxException {
        this.context = context;
        this.config = config;
        this.guard = guard;
        this.starting = context.registerService(Servlet.class, new StartingServlet(),
                servletProperties("weft-starting", Integer.MIN_VALUE));
        this.resourceTracker = track(RESOURCE_FILTER, resources);
        this.extensionTracker = track(EXTENSION_FILTER, extensions);
        this.builder = Thread.ofVirtual().name("weft-rest-builder").start(this::buildLoop);
        changes.offer(Boolean.TRUE);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        running = false;
        changes.offer(Boolean.TRUE);
        builder.join(TimeUnit.SECONDS.toMillis(10));
        resourceTracker.close();
        extensionTracker.close();
        synchronized (this) {
            unregister(current);
            current = null;
        }
        unregister(starting);
    }

    @Override
    public boolean ready() {
        return builtAtChange == changeCount.get();
    }

    /** A whiteboard service and the object the framework gave us for it. */
    private record Tracked(ServiceReference<Object> reference, Object service) implements Comparable<Tracked> {
        long id() {
            return JaxrsWhiteboard.id(reference);
        }

        /** Highest ranking first, then oldest. */
        @Override
        public int compareTo(Tracked other) {
            return other.reference.compareTo(reference);
        }
    }

    private ServiceTracker<Object, Object> track(String filter, Map<Long, Tracked> into)
            throws InvalidSyntaxException {
        Filter compiled = context.createFilter(filter);
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, compiled,
                new ServiceTrackerCustomizer<Object, Object>() {
                    @Override
                    public Object addingService(ServiceReference<Object> reference) {
                        Object service = context.getService(reference);
                        if (service != null) {
                            synchronized (JaxrsWhiteboard.this) {
                                into.put(id(reference), new Tracked(reference, service));
                            }
                            changed();
                        }
                        return service;
                    }

                    @Override
                    public void modifiedService(ServiceReference<Object> reference, Object service) {
                        changed();
                    }

                    @Override
                    public void removedService(ServiceReference<Object> reference, Object service) {
                        synchronized (JaxrsWhiteboard.this) {
                            into.remove(id(reference));
                        }
                        context.ungetService(reference);
                        changed();
                    }
                });
        tracker.open(true);
        return tracker;
    }

    private void changed() {
        changeCount.incrementAndGet();
        changes.offer(Boolean.TRUE);
    }

    private void buildLoop() {
        while (running) {
            try {
                changes.take();
                // wait for the burst of registrations to settle, and (for at most a while) for the
                // framework to finish starting, so that the first application has everything
                long startDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STARTUP_WAIT_SECONDS);
                while (changes.poll(config.settle_millis(), TimeUnit.MILLISECONDS) != null
                        || (!frameworkStarted() && System.nanoTime() < startDeadline)) {
                    changes.clear();
                    if (!running) {
                        return;
                    }
                }
                if (running) {
                    rebuild();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | LinkageError e) {
                LOG.error("The REST application could not be rebuilt", e);
            }
        }
    }

    private boolean frameworkStarted() {
        return (context.getBundle(0).getState() & Bundle.ACTIVE) != 0;
    }

    private void rebuild() {
        long change = changeCount.get();
        List<Tracked> resourceSnapshot;
        List<Tracked> extensionSnapshot;
        synchronized (this) {
            resourceSnapshot = sorted(resources);
            extensionSnapshot = sorted(extensions);
        }
        Set<Long> candidates = ids(resourceSnapshot, extensionSnapshot);
        // services refused before stay out until they change
        refused.retainAll(candidates);
        candidates.removeAll(refused);
        JerseyServlet servlet = register(resourceSnapshot, extensionSnapshot, candidates);
        if (servlet == null) {
            Set<Long> added = new HashSet<>(candidates);
            added.removeAll(currentServices);
            LOG.error("The REST application refused the services added since the last good build; leaving out {}",
                    describe(added, resourceSnapshot, extensionSnapshot));
            refused.addAll(added);
            candidates.removeAll(added);
            servlet = register(resourceSnapshot, extensionSnapshot, candidates);
        }
        if (servlet != null) {
            builtAtChange = change;
        }
    }

    /** Builds and registers one generation; returns null when Jersey refused it. */
    private JerseyServlet register(List<Tracked> resourceSnapshot, List<Tracked> extensionSnapshot,
            Set<Long> included) {
        long started = System.nanoTime();
        ResourceConfig application = application(resourceSnapshot, extensionSnapshot, included);
        JerseyServlet servlet = new JerseyServlet(application);
        ServiceRegistration<Servlet> registration;
        synchronized (this) {
            generation++;
            registration = context.registerService(Servlet.class, servlet,
                    servletProperties("weft-rest-" + generation, generation));
        }
        if (servlet.initFailure() != null) {
            LOG.error("Jersey refused the REST application", servlet.initFailure());
            unregister(registration);
            return null;
        }
        synchronized (this) {
            ServiceRegistration<Servlet> previous = current;
            current = registration;
            currentServices = included;
            unregister(previous);
        }
        LOG.info("REST application {} serves {} resource(s) and {} extension(s); built in {} ms", generation,
                count(resourceSnapshot, included), count(extensionSnapshot, included),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return servlet;
    }

    private ResourceConfig application(List<Tracked> resourceSnapshot, List<Tracked> extensionSnapshot,
            Set<Long> included) {
        ResourceConfig application = new ResourceConfig();
        application.setApplicationName("weft");
        application.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        application.property(ServerProperties.BV_FEATURE_DISABLE, true);
        application.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        application.property(ServerProperties.PROCESSING_RESPONSE_ERRORS_ENABLED, true);
        application.register(SseFeature.class);
        application.register(new JacksonJsonProvider(Json.mapper()));
        application.register(new RequestBodyInterceptor());
        application.register(new ErrorMapper());
        application.register(new BodyLimitFilter(config.max_body_bytes()));
        // always part of the application, whatever else comes and goes: no resource is ever unguarded
        application.register(new AuthFilter(guard));
        for (Tracked extension : extensionSnapshot) {
            if (included.contains(extension.id())) {
                application.register(extension.service());
            }
        }
        for (Tracked resource : resourceSnapshot) {
            if (included.contains(resource.id())) {
                application.register(resource.service());
            }
        }
        return application;
    }

    private static List<Tracked> sorted(Map<Long, Tracked> services) {
        List<Tracked> list = new ArrayList<>(services.values());
        java.util.Collections.sort(list);
        return list;
    }

    private static Dictionary<String, Object> servletProperties(String name, int ranking) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, name);
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, "/*");
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED, Boolean.TRUE);
        props.put(Constants.SERVICE_RANKING, ranking);
        return props;
    }

    @SafeVarargs
    private static Set<Long> ids(List<Tracked>... lists) {
        Set<Long> ids = new HashSet<>();
        for (List<Tracked> list : lists) {
            list.forEach(tracked -> ids.add(tracked.id()));
        }
        return ids;
    }

    private static long id(ServiceReference<?> reference) {
        return (Long) reference.getProperty(Constants.SERVICE_ID);
    }

    private static long count(List<Tracked> services, Set<Long> included) {
        return services.stream().filter(tracked -> included.contains(tracked.id())).count();
    }

    private static List<String> describe(Set<Long> ids, List<Tracked> resourceSnapshot, List<Tracked> extensionSnapshot) {
        List<String> names = new ArrayList<>();
        for (List<Tracked> list : List.of(resourceSnapshot, extensionSnapshot)) {
            for (Tracked tracked : list) {
                if (ids.contains(tracked.id())) {
                    Bundle bundle = tracked.reference().getBundle();
                    names.add(tracked.service().getClass().getName() + " from "
                            + (bundle == null ? "?" : bundle.getSymbolicName() + " " + bundle.getVersion()));
                }
            }
        }
        return names;
    }

    private static void unregister(ServiceRegistration<?> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // our bundle is stopping and the framework unregistered it first
            }
        }
    }

}
