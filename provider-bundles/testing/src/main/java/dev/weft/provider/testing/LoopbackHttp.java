package dev.weft.provider.testing;

import dev.weft.api.http.EgressException;
import dev.weft.api.http.HttpHeader;
import dev.weft.api.http.HttpRequest;
import dev.weft.api.http.HttpResponse;
import dev.weft.api.http.OutboundHttp;
import dev.weft.api.http.StreamingResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An {@link OutboundHttp} for unit tests of code that calls servers: plain JDK HTTP, to loopback
 * only (anything else is refused as the egress guard would refuse it). The platform's real guard is
 * tested on its own and in the integration tests.
 */
public final class LoopbackHttp implements OutboundHttp {

    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(java.time.Duration.ofSeconds(5)).build();

    @Override
    public HttpResponse send(HttpRequest request) {
        StreamingResponse response = open(request);
        try (response; InputStream body = response.body()) {
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, request.maxResponseBytes() + 1));
            if (bytes.length > request.maxResponseBytes()) {
                throw new EgressException(EgressException.TOO_LARGE, "the response is larger than " + request.maxResponseBytes());
            }
            return new HttpResponse(response.status(), response.headers(), bytes, response.url());
        } catch (IOException e) {
            throw new EgressException(EgressException.FAILED, "reading the response failed: " + e.getMessage());
        }
    }

    @Override
    public StreamingResponse open(HttpRequest request) {
        check(request.url());
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
                .timeout(request.totalTimeout());
        for (HttpHeader header : request.headers()) {
            if (!RESTRICTED.contains(header.name().toLowerCase(java.util.Locale.ROOT))) {
                builder.header(header.name(), header.value());
            }
        }
        byte[] body = request.body();
        builder.method(request.method(), body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        java.net.http.HttpResponse<InputStream> response;
        try {
            response = client.send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new EgressException(EgressException.TIMEOUT, "the request timed out");
        } catch (IOException e) {
            throw new EgressException(EgressException.FAILED, "cannot connect to " + request.url());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EgressException(EgressException.FAILED, "interrupted");
        }
        List<HttpHeader> headers = new ArrayList<>();
        response.headers().map().forEach((name, values) -> values.forEach(v -> headers.add(new HttpHeader(name, v))));
        return new StreamingResponse() {
            @Override
            public int status() {
                return response.statusCode();
            }

            @Override
            public List<HttpHeader> headers() {
                return headers;
            }

            @Override
            public String url() {
                return request.url();
            }

            @Override
            public InputStream body() {
                return response.body();
            }

            @Override
            public void close() {
                try {
                    response.body().close();
                } catch (IOException e) {
                    // nothing to keep
                }
            }
        };
    }

    @Override
    public void check(String url) {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) || !("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()))) {
            throw new EgressException(EgressException.BLOCKED, "egress blocked: tests talk to loopback only");
        }
    }
}
