package dev.weft.spi.model;

import dev.weft.api.core.JsonValues;
import java.util.Map;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The form the model's answer must take.
 */
@ProviderType
public sealed interface ResponseFormat {

    /** Free text (the default). */
    @ProviderType
    record Text() implements ResponseFormat {
    }

    /** Any JSON object. */
    @ProviderType
    record JsonObject() implements ResponseFormat {
    }

    /** A JSON value that follows a schema. */
    @ProviderType
    record JsonSchema(String name, Map<String, Object> schema, boolean strict) implements ResponseFormat {
        public JsonSchema {
            Objects.requireNonNull(name, "name");
            schema = JsonValues.copyOfObject(Objects.requireNonNull(schema, "schema"));
        }
    }
}
