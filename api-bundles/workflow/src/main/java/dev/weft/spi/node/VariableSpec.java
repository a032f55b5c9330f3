package dev.weft.spi.node;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A variable a node type reads or writes.
 *
 * @param name the variable's name, unique within the node
 * @param type its value type
 * @param description for the editor; may be empty
 * @param required whether the node cannot run without it (inputs) or always writes it (outputs)
 */
@ProviderType
public record VariableSpec(String name, VariableType type, String description, boolean required) {

    public VariableSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
    }

    /** A required variable without description. */
    public static VariableSpec of(String name, VariableType type) {
        return new VariableSpec(name, type, "", true);
    }
}
