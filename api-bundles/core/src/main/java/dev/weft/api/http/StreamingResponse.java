package dev.weft.api.http;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** A response whose body is read as it arrives. Closing it releases the connection. */
@ProviderType
public interface StreamingResponse extends AutoCloseable {

    int status();

    List<HttpHeader> headers();

    /** The first value of a header, by case-insensitive name. */
    default Optional<String> header(String name) {
        return headers().stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HttpHeader::value).findFirst();
    }

    /** The URL that answered, after redirects. */
    String url();

    /**
     * The body. Reading past the request's size limit fails with an {@link java.io.IOException}
     * whose cause is an {@link EgressException}; so does reading past its total time limit.
     */
    InputStream body();

    @Override
    void close();
}
