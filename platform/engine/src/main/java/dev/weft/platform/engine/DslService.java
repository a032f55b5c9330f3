package dev.weft.platform.engine;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads, checks and writes Dify DSL files.
 */
@ProviderType
public interface DslService {

    /**
     * Reads a DSL file and checks it against the node types, models, tools and knowledge installed
     * now. Never throws for bad content: every problem is an issue.
     */
    DslImport read(byte[] content);

    /**
     * Writes an app as a DSL file: the lowest DSL version that carries everything the app uses,
     * secrets blank, keys sorted. Reading the result and writing it again gives the same bytes.
     */
    byte[] export(AppDefinition app);
}
