/**
 * Running user code (Python 3 and JavaScript) in the platform's sandbox.
 *
 * <p>Guests see no host objects, files, network, processes, threads or environment of the
 * platform; each run gets a fresh interpreter context; a run is stopped at its time limit and a
 * run that exhausts memory ends without touching the platform's own heap.
 */
@Export
@Version("1.0.0")
package dev.weft.api.sandbox;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
