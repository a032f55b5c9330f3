package dev.weft.platform.registry.internal;

import dev.weft.api.core.Descriptor;
import dev.weft.api.core.Pluggable;
import java.util.Comparator;

/**
 * A pluggable service as the registry holds it.
 *
 * @param serviceId the framework's service id
 */
record Contribution(Kind kind, Descriptor descriptor, Pluggable service, long bundleId, String bundle,
        String bundleVersion, long serviceId) {

    /**
     * Precedence among contributions of one id: the highest descriptor version first, then the
     * highest bundle version, then the bundle installed first.
     */
    static final Comparator<Contribution> PRECEDENCE = Comparator
            .comparing((Contribution c) -> c.descriptor().version(), Versions.ORDER).reversed()
            .thenComparing(Comparator.comparing(Contribution::bundleVersion, Versions.ORDER).reversed())
            .thenComparingLong(Contribution::bundleId)
            .thenComparingLong(Contribution::serviceId);

    String id() {
        return descriptor.id();
    }
}
