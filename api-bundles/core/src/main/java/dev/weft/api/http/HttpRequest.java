package dev.weft.api.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An outbound request: method, URL, headers, body and the limits that bound it. Immutable; built
 * with {@link #newBuilder(String, String)}.
 */
@ProviderType
public final class HttpRequest {

    /** Default limits: generous for APIs, bounded for anything that misbehaves. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(300);
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 10L * 1024 * 1024;
    public static final int DEFAULT_MAX_REDIRECTS = 5;

    private final String method;
    private final String url;
    private final List<HttpHeader> headers;
    private final byte[] body;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration totalTimeout;
    private final long maxResponseBytes;
    private final int maxRedirects;
    private final boolean verifyTls;

    private HttpRequest(Builder builder) {
        this.method = builder.method;
        this.url = builder.url;
        this.headers = List.copyOf(builder.headers);
        this.body = builder.body == null ? null : builder.body.clone();
        this.connectTimeout = builder.connectTimeout;
        this.readTimeout = builder.readTimeout;
        this.totalTimeout = builder.totalTimeout;
        this.maxResponseBytes = builder.maxResponseBytes;
        this.maxRedirects = builder.maxRedirects;
        this.verifyTls = builder.verifyTls;
    }

    /**
     * Starts a request.
     *
     * @param method an HTTP method token ({@code GET}, {@code post}); upper-cased
     * @param url an absolute http or https URL, checked when the request is sent
     */
    public static Builder newBuilder(String method, String url) {
        return new Builder(method, url);
    }

    public String method() {
        return method;
    }

    public String url() {
        return url;
    }

    public List<HttpHeader> headers() {
        return headers;
    }

    /** The body, or null for none. */
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The longest wait for the next bytes of the response. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** The longest the whole exchange may take, redirects and body included. */
    public Duration totalTimeout() {
        return totalTimeout;
    }

    public long maxResponseBytes() {
        return maxResponseBytes;
    }

    /** How many redirects are followed; 0 returns a redirect response as it is. */
    public int maxRedirects() {
        return maxRedirects;
    }

    /** Whether TLS certificates and host names are verified (they are unless turned off). */
    public boolean verifyTls() {
        return verifyTls;
    }

    @Override
    public String toString() {
        return method + " " + url;
    }

    /** Builds a {@link HttpRequest}. */
    @ProviderType
    public static final class Builder {
        private final String method;
        private final String url;
        private final List<HttpHeader> headers = new ArrayList<>();
        private byte[] body;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration totalTimeout = DEFAULT_TOTAL_TIMEOUT;
        private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private int maxRedirects = DEFAULT_MAX_REDIRECTS;
        private boolean verifyTls = true;

        private Builder(String method, String url) {
            Objects.requireNonNull(method, "method");
            if (!method.matches("[A-Za-z]{1,20}")) {
                throw new IllegalArgumentException("not an HTTP method: " + method);
            }
            this.method = method.toUpperCase(Locale.ROOT);
            this.url = Objects.requireNonNull(url, "url");
        }

        public Builder header(String name, String value) {
            headers.add(new HttpHeader(name, value));
            return this;
        }

        public Builder body(byte[] body) {
            this.body = body == null ? null : body.clone();
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout);
            return this;
        }

        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout);
            return this;
        }

        public Builder totalTimeout(Duration timeout) {
            this.totalTimeout = positive(timeout);
            return this;
        }

        public Builder maxResponseBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("a size limit cannot be negative");
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        public Builder maxRedirects(int redirects) {
            if (redirects < 0) {
                throw new IllegalArgumentException("a redirect limit cannot be negative");
            }
            this.maxRedirects = redirects;
            return this;
        }

        public Builder verifyTls(boolean verify) {
            this.verifyTls = verify;
            return this;
        }

        public HttpRequest build() {
            return new HttpRequest(this);
        }

        private static Duration positive(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("a timeout must be positive");
            }
            return timeout;
        }
    }
}
