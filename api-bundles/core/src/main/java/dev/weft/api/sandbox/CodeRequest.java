package dev.weft.api.sandbox;

import dev.weft.api.core.JsonValues;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One run of guest code.
 *
 * @param language {@code python3} or {@code javascript}
 * @param code the guest's source, defining {@code main}
 * @param inputs the arguments of {@code main}, JSON values only (they are copied into the guest as
 *        plain data: no host object ever reaches it)
 * @param timeout the longest the run may take, or null for the sandbox's default
 */
@ProviderType
public record CodeRequest(String language, String code, Map<String, Object> inputs, Duration timeout) {

    public CodeRequest {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(code, "code");
        inputs = inputs == null ? Map.of() : inputs;
        if (!JsonValues.isJsonValue(inputs)) {
            throw new IllegalArgumentException("inputs must hold JSON values only");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("a timeout must be positive");
        }
    }
}
