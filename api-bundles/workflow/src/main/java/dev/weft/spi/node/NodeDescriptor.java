package dev.weft.spi.node;

import dev.weft.api.core.Descriptor;
import dev.weft.api.core.JsonValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a node type is, as the registry, the editor and the DSL importer see it.
 *
 * @param type the type id used in DSL files ({@code data.type}): a Dify type id such as
 *     {@code if-else} for built-in types, {@code <vendor>.<name>} for community ones
 * @param version the version of the node's behaviour and configuration ({@code "1"}, {@code "2"})
 * @param title a short name for the editor's palette
 * @param description one or two sentences; may be empty
 * @param category the palette group ({@code logic}, {@code transform}, {@code model},
 *     {@code knowledge}, {@code tool}, {@code utility})
 * @param configSchema JSON schema of the node's configuration, as a JSON value
 * @param inputs the variables the node reads, when they are fixed by its type
 * @param outputs the variables the node writes under its own id
 */
@ProviderType
public record NodeDescriptor(
        String type,
        String version,
        String title,
        String description,
        String category,
        Map<String, Object> configSchema,
        List<VariableSpec> inputs,
        List<VariableSpec> outputs) implements Descriptor {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)?");
    private static final Pattern VERSION = Pattern.compile("\\d{1,9}(\\.\\d{1,9}){0,3}");

    public NodeDescriptor {
        Objects.requireNonNull(type, "type");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("node type ids are lower-case words joined by '-', "
                    + "with a '<vendor>.' prefix for community types: " + type);
        }
        Objects.requireNonNull(version, "version");
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("versions are dotted numbers such as 1 or 1.2: " + version);
        }
        Objects.requireNonNull(title, "title");
        description = description == null ? "" : description;
        category = category == null ? "utility" : category;
        configSchema = configSchema == null ? Map.of() : JsonValues.copyOfObject(configSchema);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** The type id; the same as {@link #type()}. */
    @Override
    public String id() {
        return type;
    }

    /** Whether this is a community type ({@code <vendor>.<name>}) rather than a built-in one. */
    public boolean isCommunityType() {
        return type.indexOf('.') > 0;
    }
}
