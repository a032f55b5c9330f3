/**
 * Calling models, as nodes and the rest of the platform do: the platform's
 * {@link dev.weft.api.model.ModelRuntime} finds the provider a call names (as Weft or as a Dify file
 * names it), the credentials of the call's workspace or of the instance, and wraps the call in
 * retries and usage accounting.
 */
@Export
@Version("1.1.0")
package dev.weft.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
