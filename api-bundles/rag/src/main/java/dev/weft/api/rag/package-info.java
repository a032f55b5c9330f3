/**
 * Knowledge for callers: retrieval from a workspace's knowledge bases, as the knowledge-retrieval
 * node and the service API use it. The platform provides {@link dev.weft.api.rag.KnowledgeRetrieval}
 * as a service.
 */
@Export
@Version("1.1.0")
package dev.weft.api.rag;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
