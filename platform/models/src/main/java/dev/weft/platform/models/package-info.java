/**
 * What the platform's commands may tell the model runtime: {@link dev.weft.platform.models.ModelRouting}
 * sends every model call to one OpenAI-compatible server (for {@code bin/weft dsl run
 * --model-base-url}).
 */
@Export
@Version("1.0.0")
package dev.weft.platform.models;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
