package dev.weft.api.model;

import dev.weft.spi.model.ChatResponse;
import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A model's answer, with the provider and model that gave it (they differ from the call's when the
 * call fell back to a default) and what the caller should show in its trace.
 *
 * @param warnings why the call did not go where it asked (a provider without credentials, an unknown
 *        provider mapped to the default model); empty when it did
 * @param attempts how many requests the answer took (retries included)
 */
@ProviderType
public record ModelResult(ChatResponse response, String provider, String model, List<String> warnings, int attempts) {

    public ModelResult {
        Objects.requireNonNull(response, "response");
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
