package dev.weft.platform.registry.internal;

import dev.weft.api.core.Pluggable;
import dev.weft.platform.registry.BundleReport;
import dev.weft.platform.registry.NodeTypeEntry;
import dev.weft.platform.registry.PluginRegistry;
import dev.weft.platform.registry.ServiceReport;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeType;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows bundles, framework errors and pluggable services, and answers what is installed. A
 * background loop compares the picture with the previous one after every change (and every two
 * seconds, for {@code deploy/} jars the framework refused): new failures are logged, and
 * subscribers learn that something changed.
 */
@Component(immediate = true, service = PluginRegistry.class)
public final class RegistryComponent implements PluginRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryComponent.class);
    private static final long RESCAN_SECONDS = 2;

    private final BundleContext context;
    private final ContributionTable table = new ContributionTable();
    private final Map<Long, String> startFailures = new ConcurrentHashMap<>();
    private final Map<Long, String> describeFailures = new ConcurrentHashMap<>();
    private final List<ServiceTracker<Pluggable, Contribution>> trackers = new ArrayList<>();
    private final List<LongConsumer> subscribers = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Boolean> wake = new LinkedBlockingQueue<>();
    private final AtomicLong generation = new AtomicLong();
    private final DeployFolder deployFolder;
    private final Origins origins;
    private final BundleListener bundleListener = event -> onBundleEvent(event);
    private final FrameworkListener frameworkListener = event -> onFrameworkEvent(event);
    private final Thread watcher;
    private volatile boolean running = true;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ServiceComponentRuntime scr;

    @Activate
    public RegistryComponent(BundleContext context) {
        this.context = context;
        Path deploy = folder(context.getProperty("weft.deploy"));
        String install = context.getProperty("weft.install");
        this.deployFolder = new DeployFolder(deploy, Clock.systemUTC());
        this.origins = new Origins(install == null ? null : Path.of(install, "bundles"), deploy);
        context.addBundleListener(bundleListener);
        context.addFrameworkListener(frameworkListener);
        for (Kind kind : Kind.values()) {
            ServiceTracker<Pluggable, Contribution> tracker = new ServiceTracker<>(context,
                    kind.type().getName(), new Customizer(kind));
            tracker.open();
            trackers.add(tracker);
        }
        this.watcher = Thread.ofVirtual().name("weft-registry").start(this::watch);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        running = false;
        wake.offer(Boolean.TRUE);
        watcher.join(TimeUnit.SECONDS.toMillis(5));
        trackers.forEach(ServiceTracker::close);
        context.removeBundleListener(bundleListener);
        context.removeFrameworkListener(frameworkListener);
    }

    @Override
    public List<BundleReport> bundles() {
        BundleDiagnosis diagnosis = diagnosis();
        List<BundleReport> reports = new ArrayList<>();
        Set<String> locations = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Bundle bundle : context.getBundles()) {
            locations.add(bundle.getLocation());
            names.add(bundle.getSymbolicName() + ";" + bundle.getVersion());
            reports.add(report(bundle, diagnosis));
        }
        reports.addAll(deployFolder.notInstalled(locations, names));
        return reports;
    }

    @Override
    public List<NodeTypeEntry> nodeTypes() {
        return table.ranked(Kind.NODE_TYPE).stream()
                .map(r -> new NodeTypeEntry((NodeDescriptor) r.contribution().descriptor(), r.contribution().bundleId(),
                        r.contribution().bundle(), r.contribution().bundleVersion(), r.shadowed()))
                .toList();
    }

    @Override
    public Optional<NodeType> nodeType(String type) {
        return table.serving(Kind.NODE_TYPE, type).map(c -> (NodeType) c.service());
    }

    @Override
    public long generation() {
        return generation.get();
    }

    @Override
    public AutoCloseable subscribe(LongConsumer listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    private BundleReport report(Bundle bundle, BundleDiagnosis diagnosis) {
        long id = bundle.getBundleId();
        List<ServiceReport> services = table.ofBundle(id).stream()
                .map(c -> new ServiceReport(c.kind().wireName(), c.id(), c.descriptor().version()))
                .toList();
        String error = diagnosis.errorOf(bundle);
        String describeFailure = describeFailures.get(id);
        if (describeFailure != null) {
            error = error == null ? describeFailure : error + "; " + describeFailure;
        }
        return new BundleReport(id, bundle.getSymbolicName(), bundle.getVersion().toString(), stateName(bundle.getState()),
                BundleDiagnosis.isFragment(bundle), origins.source(bundle.getLocation()),
                origins.display(bundle.getLocation()), services, error);
    }

    private BundleDiagnosis diagnosis() {
        Bundle system = context.getBundle(0);
        FrameworkStartLevel level = system.adapt(FrameworkStartLevel.class);
        return new BundleDiagnosis(system.adapt(FrameworkWiring.class), level == null ? Integer.MAX_VALUE : level.getStartLevel(),
                startFailures, Optional.ofNullable(scr));
    }

    private static Path folder(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNKNOWN";
        };
    }

    private void onBundleEvent(BundleEvent event) {
        long id = event.getBundle().getBundleId();
        logLifecycle(event);
        if (event.getType() == BundleEvent.STARTED || event.getType() == BundleEvent.UNINSTALLED
                || event.getType() == BundleEvent.UPDATED) {
            startFailures.remove(id);
        }
        if (event.getType() == BundleEvent.UNINSTALLED || event.getType() == BundleEvent.UPDATED) {
            describeFailures.remove(id);
        }
        wake.offer(Boolean.TRUE);
    }

    /** Once the platform runs, every plug-in install, update, start, stop and removal is logged. */
    private void logLifecycle(BundleEvent event) {
        if ((context.getBundle(0).getState() & Bundle.ACTIVE) == 0) {
            return;
        }
        String verb = switch (event.getType()) {
            case BundleEvent.INSTALLED -> "installed";
            case BundleEvent.UPDATED -> "updated";
            case BundleEvent.STARTED -> "started";
            case BundleEvent.STOPPED -> "stopped";
            case BundleEvent.UNINSTALLED -> "uninstalled";
            default -> null;
        };
        if (verb != null) {
            Bundle bundle = event.getBundle();
            LOG.info("Bundle {} {} {} ({})", bundle.getSymbolicName(), bundle.getVersion(), verb, bundle.getLocation());
        }
    }

    private void onFrameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.ERROR && event.getBundle() != null && event.getThrowable() != null) {
            startFailures.put(event.getBundle().getBundleId(), message(event.getThrowable()));
        }
        wake.offer(Boolean.TRUE);
    }

    /** Compares the picture with the previous one after each change and on a timer. */
    private void watch() {
        Map<String, String> lastErrors = new HashMap<>();
        Object last = null;
        while (running) {
            try {
                wake.poll(RESCAN_SECONDS, TimeUnit.SECONDS);
                // let a burst of events settle before looking
                while (wake.poll(100, TimeUnit.MILLISECONDS) != null) {
                    wake.clear();
                }
                if (!running) {
                    return;
                }
                List<BundleReport> bundles = bundles();
                List<NodeTypeEntry> nodeTypes = nodeTypes();
                logNewErrors(bundles, lastErrors);
                Object picture = List.of(bundles, nodeTypes);
                if (!picture.equals(last)) {
                    last = picture;
                    long now = generation.incrementAndGet();
                    subscribers.forEach(subscriber -> notify(subscriber, now));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // the framework is shutting down under us, or a bundle vanished mid-read
                LOG.debug("registry scan failed", e);
            }
        }
    }

    private static void logNewErrors(List<BundleReport> bundles, Map<String, String> lastErrors) {
        Map<String, String> errors = new HashMap<>();
        for (BundleReport bundle : bundles) {
            if (bundle.error() != null) {
                String key = bundle.id() == null ? bundle.location() : bundle.id().toString();
                errors.put(key, bundle.error());
                if (!bundle.error().equals(lastErrors.get(key))) {
                    if (bundle.id() == null) {
                        LOG.warn("Plug-in jar {} could not be installed: {}", bundle.location(), bundle.error());
                    } else {
                        LOG.warn("Bundle {} {} ({}) {}", bundle.symbolicName(), bundle.version(), bundle.location(),
                                bundle.error());
                    }
                }
            }
        }
        lastErrors.clear();
        lastErrors.putAll(errors);
    }

    private static void notify(LongConsumer subscriber, long generation) {
        try {
            subscriber.accept(generation);
        } catch (RuntimeException e) {
            LOG.debug("a registry subscriber failed", e);
        }
    }

    private static String message(Throwable error) {
        StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
        Throwable cause = error.getCause();
        while (cause != null && cause != error) {
            text.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage()).append(')');
            error = cause;
            cause = cause.getCause();
        }
        return text.toString();
    }

    /** Turns a service of one kind into a contribution, or records why it could not describe itself. */
    private final class Customizer implements ServiceTrackerCustomizer<Pluggable, Contribution> {
        private final Kind kind;

        Customizer(Kind kind) {
            this.kind = kind;
        }

        @Override
        public Contribution addingService(ServiceReference<Pluggable> reference) {
            Bundle bundle = reference.getBundle();
            if (bundle == null) {
                return null;
            }
            Pluggable service = context.getService(reference);
            if (service == null) {
                return null;
            }
            try {
                Contribution contribution = new Contribution(kind, service.descriptor(), service, bundle.getBundleId(),
                        bundle.getSymbolicName(), bundle.getVersion().toString(),
                        (Long) reference.getProperty(org.osgi.framework.Constants.SERVICE_ID));
                if (contribution.descriptor() == null || (kind == Kind.NODE_TYPE
                        && !(contribution.descriptor() instanceof NodeDescriptor))) {
                    throw new IllegalStateException("descriptor() returned " + contribution.descriptor());
                }
                table.add(contribution);
                wake.offer(Boolean.TRUE);
                return contribution;
            } catch (RuntimeException | LinkageError e) {
                describeFailures.put(bundle.getBundleId(), "its " + kind.wireName() + " service "
                        + service.getClass().getName() + " could not describe itself: " + e);
                context.ungetService(reference);
                wake.offer(Boolean.TRUE);
                return null;
            }
        }

        @Override
        public void modifiedService(ServiceReference<Pluggable> reference, Contribution contribution) {
            wake.offer(Boolean.TRUE);
        }

        @Override
        public void removedService(ServiceReference<Pluggable> reference, Contribution contribution) {
            table.remove(contribution.serviceId());
            context.ungetService(reference);
            wake.offer(Boolean.TRUE);
        }
    }
}
