package dev.weft.api.core;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * How a pluggable service describes itself to the platform, the console and the DSL importer.
 *
 * <p>Ids are stable: built-in node types use Dify's type ids ({@code if-else}, {@code llm}),
 * community contributions use {@code <vendor>.<name>} ({@code example.text-case}). When two
 * services of one kind carry the same id, the platform serves the one with the highest
 * {@link #version()} and lists the others as shadowed.
 */
@ProviderType
public interface Descriptor {

    /** The stable id, unique per kind of service. */
    String id();

    /**
     * The version of this contribution's behaviour and configuration, as dotted numbers
     * ({@code "1"}, {@code "2"}, {@code "1.1"}). Compared numerically, segment by segment.
     */
    String version();

    /** A short human-readable name, in English. */
    String title();

    /** One or two sentences on what it does; may be empty, never null. */
    String description();

    /**
     * The JSON schema (draft 2020-12 subset) of the configuration this service accepts, as a JSON
     * value. An empty map means "no configuration".
     */
    Map<String, Object> configSchema();
}
