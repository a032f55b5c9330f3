package dev.weft.spi.node;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The value types of workflow variables, named as in Dify's DSL.
 */
@ProviderType
public enum VariableType {
    STRING("string"),
    NUMBER("number"),
    INTEGER("integer"),
    BOOLEAN("boolean"),
    OBJECT("object"),
    FILE("file"),
    SECRET("secret"),
    ARRAY_STRING("array[string]"),
    ARRAY_NUMBER("array[number]"),
    ARRAY_BOOLEAN("array[boolean]"),
    ARRAY_OBJECT("array[object]"),
    ARRAY_FILE("array[file]"),
    ARRAY_ANY("array[any]"),
    ANY("any");

    private final String wireName;

    VariableType(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in DSL files and API payloads ({@code array[string]}). */
    public String wireName() {
        return wireName;
    }

    /** The type with this wire name. */
    public static VariableType fromWireName(String name) {
        for (VariableType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown variable type: " + name);
    }
}
