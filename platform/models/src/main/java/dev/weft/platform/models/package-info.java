/**
 * What the console tells the model runtime: a workspace's provider credentials (verified by a real
 * call before they are kept, encrypted at rest, masked when read), its default models, prices, and
 * the accounts of its model calls.
 */
@Export
@Version("1.1.0")
package dev.weft.platform.models;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
