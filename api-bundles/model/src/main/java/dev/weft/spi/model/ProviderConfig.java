package dev.weft.spi.model;

import dev.weft.api.core.JsonValues;
import dev.weft.api.core.Secret;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * How to reach a vendor: plain settings (base URL, API version, organisation) and credentials.
 *
 * @param settings plain settings as a JSON object
 * @param secrets credentials by name ({@code api_key})
 */
@ProviderType
public record ProviderConfig(Map<String, Object> settings, Map<String, Secret> secrets) {

    public ProviderConfig {
        settings = settings == null ? Map.of() : JsonValues.copyOfObject(settings);
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
    }

    /** A plain setting, if set to a non-empty string. */
    public Optional<String> setting(String name) {
        return JsonValues.string(settings, name).filter(value -> !value.isBlank());
    }

    /** A credential, if set and not empty. */
    public Optional<Secret> secret(String name) {
        return Optional.ofNullable(secrets.get(name)).filter(secret -> !secret.isEmpty());
    }

    /** Never shows credentials. */
    @Override
    public String toString() {
        return "ProviderConfig[settings=" + settings + ", secrets=" + secrets.keySet() + "]";
    }
}
