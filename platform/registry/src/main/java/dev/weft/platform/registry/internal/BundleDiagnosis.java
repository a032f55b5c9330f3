package dev.weft.platform.registry.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.namespace.ExecutionEnvironmentNamespace;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Says why a bundle is not doing its job: what it misses to resolve, why it did not start, which
 * of its components failed. Reads the framework's state and never changes it.
 */
final class BundleDiagnosis {

    private final FrameworkWiring wiring;
    private final int frameworkStartLevel;
    private final Map<Long, String> startFailures;
    private final Optional<ServiceComponentRuntime> scr;

    BundleDiagnosis(FrameworkWiring wiring, int frameworkStartLevel, Map<Long, String> startFailures,
            Optional<ServiceComponentRuntime> scr) {
        this.wiring = wiring;
        this.frameworkStartLevel = frameworkStartLevel;
        this.startFailures = startFailures;
        this.scr = scr;
    }

    /** Why the bundle is not working, or null when it is. */
    String errorOf(Bundle bundle) {
        boolean fragment = isFragment(bundle);
        return switch (bundle.getState()) {
            case Bundle.INSTALLED -> unresolved(bundle);
            case Bundle.RESOLVED -> fragment || !meantToRun(bundle) ? null
                    : "resolved but not started: " + startFailures.getOrDefault(bundle.getBundleId(),
                            "its start failed; see the log");
            case Bundle.STARTING, Bundle.ACTIVE -> componentFailures(bundle);
            default -> null;
        };
    }

    static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    private boolean meantToRun(Bundle bundle) {
        BundleStartLevel level = bundle.adapt(BundleStartLevel.class);
        return level != null && level.isPersistentlyStarted() && level.getStartLevel() <= frameworkStartLevel;
    }

    private String unresolved(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return "not resolved";
        }
        List<String> missing = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (BundleRequirement requirement : revision.getDeclaredRequirements(null)) {
            String effective = requirement.getDirectives().get(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE);
            if (effective != null && !Namespace.EFFECTIVE_RESOLVE.equals(effective)) {
                // effective:=active requirements (services a component needs) play no part in resolving
                continue;
            }
            if (Namespace.RESOLUTION_OPTIONAL.equals(requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE))
                    || "dynamic".equals(requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE))) {
                continue;
            }
            Collection<BundleCapability> providers = wiring.findProviders(requirement);
            if (providers.isEmpty()) {
                missing.add(describe(requirement));
            } else if (providers.stream().allMatch(p -> p.getRevision().getBundle().getState() == Bundle.INSTALLED
                    && p.getRevision().getBundle().getBundleId() != bundle.getBundleId())) {
                waiting.add(describe(requirement) + " from " + providers.stream()
                        .map(p -> p.getRevision().getSymbolicName()).distinct().collect(Collectors.joining(", "))
                        + ", which is not resolved either");
            }
        }
        if (!missing.isEmpty()) {
            return "cannot be resolved: missing " + String.join("; missing ", missing);
        }
        if (!waiting.isEmpty()) {
            return "cannot be resolved: needs " + String.join("; needs ", waiting);
        }
        return "cannot be resolved: its requirements exist but conflict with what is wired (uses constraints); see the log";
    }

    private static String describe(BundleRequirement requirement) {
        String filter = requirement.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "");
        String namespace = requirement.getNamespace();
        String what = switch (namespace) {
            case "osgi.wiring.package" -> "package";
            case "osgi.wiring.bundle" -> "bundle";
            case "osgi.wiring.host" -> "fragment host";
            case ExecutionEnvironmentNamespace.EXECUTION_ENVIRONMENT_NAMESPACE -> "execution environment";
            case "osgi.service" -> "service";
            case "osgi.extender" -> "extender";
            default -> "capability " + namespace;
        };
        return what + " " + filter;
    }

    private String componentFailures(Bundle bundle) {
        if (scr.isEmpty()) {
            return null;
        }
        List<String> failures = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.get().getComponentDescriptionDTOs(bundle)) {
            for (ComponentConfigurationDTO configuration : scr.get().getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    failures.add("component " + description.name + " failed to activate: "
                            + rootCause(configuration.failure));
                } else if (configuration.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    failures.add("component " + description.name + " is waiting for " + unsatisfied(configuration));
                }
            }
        }
        return failures.isEmpty() ? null : String.join("; ", failures);
    }

    private static String unsatisfied(ComponentConfigurationDTO configuration) {
        List<String> references = new ArrayList<>();
        for (UnsatisfiedReferenceDTO reference : configuration.unsatisfiedReferences) {
            references.add(reference.name + (reference.target == null ? "" : " " + reference.target));
        }
        return String.join(", ", references);
    }

    /**
     * The innermost cause of a failure recorded as a stack trace ("Caused by: ..." lines), without
     * its package: {@code IllegalStateException: no licence key configured}.
     */
    static String rootCause(String trace) {
        if (trace == null || trace.isBlank()) {
            return "unknown error";
        }
        String cause = trace.lines().findFirst().orElse(trace).strip();
        for (String line : trace.lines().toList()) {
            String stripped = line.strip();
            if (stripped.startsWith("Caused by: ")) {
                cause = stripped.substring("Caused by: ".length());
            }
        }
        cause = cause.replaceFirst("^(?:[a-z][a-z0-9_]*\\.)+(?=[A-Z])", "");
        return cause.length() > 500 ? cause.substring(0, 500) + "…" : cause;
    }
}
