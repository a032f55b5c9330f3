package dev.weft.api.core;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A service that a plug-in bundle contributes and the platform discovers through the OSGi service
 * registry: a node type, a model provider, a tool provider, an extractor, a chunker, an index.
 *
 * <p>Implementations are Declarative Services components. They appear when their bundle starts,
 * disappear when it stops, and must not keep state that only one Weft node can see.
 */
@ConsumerType
public interface Pluggable {

    /** Describes this service. Called often; return a constant. */
    Descriptor descriptor();
}
