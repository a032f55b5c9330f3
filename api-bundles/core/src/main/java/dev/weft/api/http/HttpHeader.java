package dev.weft.api.http;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/** One header line; a name may appear several times in a list of them. */
@ProviderType
public record HttpHeader(String name, String value) {
    public HttpHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
