package dev.weft.platform.registry;

import java.util.List;

/**
 * A bundle and what it contributes.
 *
 * @param id the framework's bundle id; null for a jar of {@code deploy/} that is not installed
 * @param symbolicName its Bundle-SymbolicName; null when the jar has none
 * @param version its Bundle-Version; null when unknown
 * @param state the OSGi state name ({@code INSTALLED}, {@code RESOLVED}, {@code STARTING},
 *     {@code STOPPING}, {@code ACTIVE}), or {@code PENDING} for a jar just dropped into
 *     {@code deploy/}, or {@code INSTALL_FAILED} for one the framework refused
 * @param fragment whether it is a fragment
 * @param source where it comes from: {@code platform} (the install's {@code bundles/}),
 *     {@code deploy} (the home's {@code deploy/}), {@code system} (the framework) or {@code other}
 * @param location where it was installed from: {@code bundles/<jar>} or {@code deploy/<jar>} for
 *     those two folders, the framework's location string otherwise
 * @param services the pluggable services it contributes
 * @param error why it is not working as it should; null when it is
 */
public record BundleReport(Long id, String symbolicName, String version, String state, boolean fragment,
        String source, String location, List<ServiceReport> services, String error) {

    public BundleReport {
        services = List.copyOf(services);
    }
}
