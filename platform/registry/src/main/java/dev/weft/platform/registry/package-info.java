/**
 * What is installed, and what it contributes.
 *
 * <p>The {@link dev.weft.platform.registry.PluginRegistry} follows the framework: every bundle with
 * its state and, when it failed to install, resolve, start or activate a component, the reason;
 * every pluggable service (node types, model providers, tools, extractors, chunkers, indexes,
 * retrievers) with the bundle that contributes it. When two bundles contribute the same id, the
 * highest version serves and the others are listed as shadowed.
 */
@Export
@Version("1.0.0")
package dev.weft.platform.registry;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
