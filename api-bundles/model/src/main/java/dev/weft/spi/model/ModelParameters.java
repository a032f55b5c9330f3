package dev.weft.spi.model;

import dev.weft.api.core.JsonValues;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Sampling and length parameters of a chat request. {@code null} means "not set": the vendor's
 * default applies.
 *
 * @param extra vendor-specific parameters passed through as they are (a JSON object)
 */
@ProviderType
public record ModelParameters(Double temperature, Double topP, Integer maxTokens, List<String> stop,
        Double presencePenalty, Double frequencyPenalty, Long seed, Map<String, Object> extra) {

    /** No parameter set. */
    public static final ModelParameters DEFAULTS = new ModelParameters(null, null, null, null, null, null, null, null);

    public ModelParameters {
        stop = stop == null ? List.of() : List.copyOf(stop);
        extra = extra == null ? Map.of() : JsonValues.copyOfObject(extra);
    }
}
