package dev.weft.web.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.weft.api.core.Secret;
import java.io.IOException;

/**
 * The JSON conventions of Weft's HTTP APIs: snake_case member names, unknown members ignored,
 * trailing garbage refused, nesting and sizes bounded, secrets written masked.
 */
public final class Json {

    /** Deeper documents are refused: no legitimate request nests this far. */
    public static final int MAX_NESTING_DEPTH = 200;

    private static final ObjectMapper MAPPER = create();

    private Json() {
    }

    /** The shared mapper. Configured once; safe for concurrent use. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper create() {
        JsonMapper mapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .addModule(new SimpleModule("weft").addSerializer(Secret.class, new SecretSerializer()))
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(16 * 1024 * 1024)
                .maxNumberLength(100)
                .build());
        return mapper;
    }

    /** Writes a secret in its masked form, never its value. */
    private static final class SecretSerializer extends StdSerializer<Secret> {
        private static final long serialVersionUID = 1L;

        SecretSerializer() {
            super(Secret.class);
        }

        @Override
        public void serialize(Secret secret, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeString(secret.masked());
        }
    }

    /** A stored JSON object (a document the store holds), as a mutable map. */
    public static java.util.Map<String, Object> object(String json) {
        try {
            return json == null ? new java.util.LinkedHashMap<>()
                    : mapper().readValue(json, new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, Object>>() {
                    });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a stored document is not JSON", e);
        }
    }

    /** A value as JSON text, for the store. */
    public static String text(Object value) {
        try {
            return mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a document is not JSON", e);
        }
    }
}
