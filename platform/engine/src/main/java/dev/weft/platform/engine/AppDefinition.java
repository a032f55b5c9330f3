package dev.weft.platform.engine;

import dev.weft.api.core.JsonValues;
import java.util.Map;
import java.util.Objects;

/**
 * An app as a DSL file describes it, normalised: the whole document, kept so that export gives it
 * back, and the few facts every caller needs.
 *
 * @param mode {@code workflow}, {@code advanced-chat}, {@code chat}, {@code agent-chat},
 *     {@code completion} or {@code agent}
 * @param name the app's name
 * @param description the app's description; may be empty
 * @param sourceVersion the DSL version the file was written in
 * @param document the normalised DSL document, as an unmodifiable JSON object
 */
public record AppDefinition(String mode, String name, String description, String sourceVersion,
        Map<String, Object> document) {

    public AppDefinition {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        Objects.requireNonNull(sourceVersion, "sourceVersion");
        document = JsonValues.copyOfObject(document);
    }

    /** Whether the app is a graph (workflow or chatflow) rather than a prompt-and-model app. */
    public boolean isGraph() {
        return mode.equals("workflow") || mode.equals("advanced-chat");
    }
}
