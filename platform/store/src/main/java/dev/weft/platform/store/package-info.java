/**
 * The platform's repositories: how platform bundles read and write records.
 *
 * <p>Every record belongs to a workspace. The embedded implementation keeps them in an H2 file
 * database under {@code WEFT_HOME/data}; another bundle can implement the same interfaces on
 * PostgreSQL. A repository service is registered only once the database is open and migrated, so
 * its presence means the store is ready.
 */
@Export
@Version("1.6.0")
package dev.weft.platform.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
