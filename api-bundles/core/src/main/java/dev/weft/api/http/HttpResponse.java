package dev.weft.api.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** A response read whole: status, headers, body and the URL that answered. */
@ProviderType
public final class HttpResponse {

    private final int status;
    private final List<HttpHeader> headers;
    private final byte[] body;
    private final String url;

    public HttpResponse(int status, List<HttpHeader> headers, byte[] body, String url) {
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body.clone();
        this.url = url;
    }

    public int status() {
        return status;
    }

    public List<HttpHeader> headers() {
        return headers;
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HttpHeader::value).findFirst();
    }

    public byte[] body() {
        return body.clone();
    }

    public int bodySize() {
        return body.length;
    }

    /** The body as text, in the charset the {@code Content-Type} names (UTF-8 when it names none). */
    public String bodyText() {
        return new String(body, charset());
    }

    /** The URL that answered, after redirects. */
    public String url() {
        return url;
    }

    private Charset charset() {
        String type = header("Content-Type").orElse("");
        for (String part : type.split(";")) {
            String p = part.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                String name = p.substring(8).trim().replace("\"", "");
                try {
                    return Charset.forName(name);
                } catch (RuntimeException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
