/**
 * Test support for providers and for everything that calls models: {@link
 * dev.weft.provider.testing.FakeOpenAiServer} and {@link dev.weft.provider.testing.LoopbackHttp}.
 */
@Export
@Version("0.1.0")
package dev.weft.provider.testing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
