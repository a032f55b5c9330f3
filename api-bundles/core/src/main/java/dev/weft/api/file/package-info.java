/**
 * Files uploaded to a workspace (through the service API's {@code files/upload} or the console),
 * for the nodes and services that read them: a document extractor, a model given an image.
 *
 * <p>Every lookup names the workspace of the run or request it serves; a file of another
 * workspace is as absent as one that never existed.
 */
@Export
@Version("1.0.0")
package dev.weft.api.file;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
