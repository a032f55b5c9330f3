/**
 * The vocabulary every Weft contract shares.
 *
 * <p>Weft passes structured data between the platform and its plug-ins as plain Java values that
 * map one to one onto JSON: {@code null}, {@link java.lang.Boolean}, {@link java.lang.Number},
 * {@link java.lang.String}, {@link java.util.List} of such values and {@link java.util.Map} with
 * string keys. {@link dev.weft.api.core.JsonValues} checks, copies and reads such values. A node's
 * configuration, a tool's arguments and a model's structured output are all JSON values.
 *
 * <p>Everything a plug-in contributes is a {@link dev.weft.api.core.Pluggable} service that
 * describes itself with a {@link dev.weft.api.core.Descriptor}: a stable id, a version, a title and
 * the JSON schema of its configuration. Credentials and other sensitive values travel as
 * {@link dev.weft.api.core.Secret}, which never prints its value. Failures that a user should see
 * are {@link dev.weft.api.core.WeftException}s carrying a stable, machine-readable code.
 */
@Export
@Version("1.0.0")
package dev.weft.api.core;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
