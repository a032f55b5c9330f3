package dev.weft.api.core;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One reason why a value was refused.
 *
 * @param path where the problem is, as a JSON pointer into the checked value ({@code /mode},
 *     {@code /items/2/name}); empty for the value as a whole
 * @param message what is wrong, for people
 */
@ProviderType
public record Violation(String path, String message) {

    public Violation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
