/**
 * What the platform (not plug-ins) may tell the egress guard: origins an operator configured, such as
 * a local Ollama or vLLM given at start, which the guard then lets through although they are private.
 */
@Export
@Version("1.0.0")
package dev.weft.platform.egress;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
