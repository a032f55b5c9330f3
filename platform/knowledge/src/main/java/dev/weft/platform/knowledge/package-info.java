/**
 * Knowledge bases as the console and the service API manage them: bases, documents and their
 * ingestion, chunks, hit testing. Retrieval for plug-ins is {@link dev.weft.api.rag.KnowledgeRetrieval}.
 */
@Export
@Version("1.0.0")
package dev.weft.platform.knowledge;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
