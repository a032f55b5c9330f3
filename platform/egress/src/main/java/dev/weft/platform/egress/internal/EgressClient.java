package dev.weft.platform.egress.internal;

import dev.weft.api.http.EgressException;
import dev.weft.api.http.HttpHeader;
import dev.weft.api.http.HttpRequest;
import dev.weft.api.http.HttpResponse;
import dev.weft.api.http.OutboundHttp;
import dev.weft.api.http.StreamingResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.TrustAllStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends requests that the {@link Guard} allowed, to the addresses it checked: the connection's target
 * carries the checked address (the client never resolves a name itself: its resolver refuses), so a
 * name that answers differently a second time cannot redirect the connection. Redirects are followed
 * here, one hop at a time, each hop checked again.
 */
final class EgressClient implements OutboundHttp, AutoCloseable {

    /** Headers the client computes or that describe the connection: a caller's values are dropped. */
    private static final Set<String> HOP_HEADERS = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade", "te", "trailer", "proxy-connection", "expect", "host");
    /**
     * The only headers that follow a redirect to another origin: any other may carry a credential
     * (a custom API-key header, a cookie, a signature).
     */
    private static final Set<String> CROSS_ORIGIN_HEADERS = Set.of("accept", "accept-language", "accept-encoding",
            "user-agent", "content-type", "content-language", "cache-control", "pragma");
    /** The longest a status or header line may be, and how many header lines a response may have. */
    static final int MAX_HEADER_LINE = 8192;
    static final int MAX_HEADER_COUNT = 100;

    static final int MAX_REDIRECTS = 10;

    private final Guard guard;
    private final CloseableHttpClient verifying;
    private final CloseableHttpClient trusting;
    private final ScheduledExecutorService deadlines;

    EgressClient(Guard guard) {
        this.guard = guard;
        this.verifying = client(DefaultClientTlsStrategy.createDefault());
        this.trusting = client(new DefaultClientTlsStrategy(trustAll(), NoopHostnameVerifier.INSTANCE));
        java.util.concurrent.ScheduledThreadPoolExecutor timers = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "weft-egress-deadlines");
            t.setDaemon(true);
            return t;
        });
        // a cancelled timer must not keep its request (and body) until its delay passes
        timers.setRemoveOnCancelPolicy(true);
        this.deadlines = timers;
    }

    @Override
    public void check(String url) {
        guard.check(Target.parse(url));
    }

    @Override
    public HttpResponse send(HttpRequest request) {
        try (Exchange exchange = exchange(request)) {
            byte[] body = exchange.readAll(request.maxResponseBytes());
            return new HttpResponse(exchange.response.getCode(), exchange.headers(), body, exchange.target.uri().toString());
        }
    }

    @Override
    public StreamingResponse open(HttpRequest request) {
        Exchange exchange = exchange(request);
        return new StreamingResponse() {
            @Override
            public int status() {
                return exchange.response.getCode();
            }

            @Override
            public List<HttpHeader> headers() {
                return exchange.headers();
            }

            @Override
            public String url() {
                return exchange.target.uri().toString();
            }

            @Override
            public InputStream body() {
                return exchange.stream(request.maxResponseBytes());
            }

            @Override
            public void close() {
                exchange.close();
            }
        };
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        verifying.close(CloseMode.IMMEDIATE);
        trusting.close(CloseMode.IMMEDIATE);
    }

    /** Sends the request, following redirects, and returns once the final response's head has arrived. */
    private Exchange exchange(HttpRequest request) {
        Target target = Target.parse(request.url());
        List<HttpHeader> headers = checkedHeaders(request.headers());
        String method = request.method();
        byte[] body = request.body();
        Deadline deadline = new Deadline(request.totalTimeout());
        int limit = Math.min(request.maxRedirects(), MAX_REDIRECTS);
        try {
            for (int hop = 0; ; hop++) {
                if (deadline.expired()) {
                    throw new EgressException(EgressException.TIMEOUT, "the request to " + target.origin()
                            + " took longer than " + deadline.total.toMillis() + " ms");
                }
                List<InetAddress> addresses = check(target, deadline);
                Exchange exchange = execute(target, addresses, method, headers, body, request, deadline);
                int status = exchange.response.getCode();
                Header location = exchange.response.getFirstHeader("Location");
                if (request.maxRedirects() == 0 || location == null || !isRedirect(status)) {
                    return exchange;
                }
                exchange.close();
                if (hop >= limit) {
                    throw new EgressException(EgressException.REDIRECTS, "more than " + limit + " redirects");
                }
                Target next = target.redirect(location.getValue());
                if (status == 303 || (status == 301 || status == 302) && !method.equals("GET") && !method.equals("HEAD")) {
                    method = status == 303 && method.equals("HEAD") ? "HEAD" : "GET";
                    body = null;
                    headers = headers.stream().filter(h -> !h.name().equalsIgnoreCase("content-type")).toList();
                }
                if (!next.origin().equals(target.origin())) {
                    headers = headers.stream()
                            .filter(h -> CROSS_ORIGIN_HEADERS.contains(h.name().toLowerCase(Locale.ROOT))).toList();
                }
                target = next;
            }
        } catch (RuntimeException e) {
            deadline.cancel();
            throw e;
        }
    }

    private Exchange execute(Target target, List<InetAddress> addresses, String method, List<HttpHeader> headers,
            byte[] body, HttpRequest request, Deadline deadline) {
        CloseableHttpClient client = request.verifyTls() ? verifying : trusting;
        IOException last = null;
        for (InetAddress address : addresses) {
            HttpUriRequestBase message = new HttpUriRequestBase(method, target.uri());
            for (HttpHeader header : headers) {
                message.addHeader(header.name(), header.value());
            }
            if (body != null) {
                message.setEntity(new ByteArrayEntity(body, null));
            }
            message.setConfig(config(request, deadline));
            deadline.watch(message);
            HttpHost pinned = new HttpHost(target.scheme(), address, target.host(), target.port());
            try {
                ClassicHttpResponse response = client.executeOpen(pinned, message, null);
                return new Exchange(target, message, response, deadline);
            } catch (HttpHostConnectException | ConnectTimeoutException e) {
                last = e;
                if (deadline.expired()) {
                    break;
                }
            } catch (IOException e) {
                throw failure(e, deadline, target);
            }
        }
        throw failure(last, deadline, target);
    }

    /** The guard's decision, within what is left of the exchange's time (a slow name lookup counts). */
    private List<InetAddress> check(Target target, Deadline deadline) {
        if (target.literal().isPresent()) {
            return guard.check(target);
        }
        java.util.concurrent.CompletableFuture<List<InetAddress>> decision = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().name("weft-egress-lookup").start(() -> {
            try {
                decision.complete(guard.check(target));
            } catch (RuntimeException e) {
                decision.completeExceptionally(e);
            }
        });
        try {
            return decision.get(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new EgressException(EgressException.TIMEOUT, "looking up " + target.host() + " took too long");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new EgressException(EgressException.FAILED, "the host " + target.host() + " cannot be resolved");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EgressException(EgressException.FAILED, "the request to " + target.origin() + " was interrupted");
        }
    }

    @SuppressWarnings("deprecation")
    private static RequestConfig config(HttpRequest request, Deadline deadline) {
        return RequestConfig.custom()
                .setConnectTimeout(Timeout.of(min(request.connectTimeout(), deadline.remaining())))
                .setResponseTimeout(Timeout.of(request.readTimeout()))
                .setRedirectsEnabled(false)
                .setAuthenticationEnabled(false)
                .setContentCompressionEnabled(true)
                .build();
    }

    private static Duration min(Duration a, Duration b) {
        Duration m = a.compareTo(b) <= 0 ? a : b;
        return m.isNegative() || m.isZero() ? Duration.ofMillis(1) : m;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static List<HttpHeader> checkedHeaders(List<HttpHeader> headers) {
        List<HttpHeader> out = new ArrayList<>();
        for (HttpHeader header : headers) {
            String name = header.name();
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new EgressException("invalid_request", "the header name \"" + printable(name) + "\" is not valid");
            }
            for (int i = 0; i < header.value().length(); i++) {
                char c = header.value().charAt(i);
                if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                    throw new EgressException("invalid_request", "the value of the header " + name
                            + " contains a line break, a NUL or a character outside Latin-1");
                }
            }
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                out.add(header);
            }
        }
        return out;
    }

    private static String printable(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }

    static EgressException failure(IOException e, Deadline deadline, Target target) {
        if (deadline.expired()) {
            return new EgressException(EgressException.TIMEOUT, "the request to " + target.origin() + " took longer than "
                    + deadline.total.toMillis() + " ms");
        }
        if (e instanceof ConnectTimeoutException) {
            return new EgressException(EgressException.TIMEOUT, "connecting to " + target.origin() + " timed out");
        }
        if (e instanceof SocketTimeoutException) {
            return new EgressException(EgressException.TIMEOUT, "reading from " + target.origin() + " timed out");
        }
        if (e instanceof HttpHostConnectException) {
            return new EgressException(EgressException.FAILED, "cannot connect to " + target.origin());
        }
        if (e instanceof SSLException) {
            return new EgressException(EgressException.FAILED, "the TLS handshake with " + target.origin()
                    + " failed: " + e.getMessage());
        }
        if (e instanceof InterruptedIOException) {
            return new EgressException(EgressException.FAILED, "the request to " + target.origin() + " was interrupted");
        }
        if (e == null) {
            return new EgressException(EgressException.FAILED, "cannot connect to " + target.origin());
        }
        return new EgressException(EgressException.FAILED, "the request to " + target.origin() + " failed: "
                + e.getClass().getSimpleName());
    }

    /**
     * Connections kept open at most, in all and to one host. Model calls of every app go to the same
     * few provider hosts and each holds its connection for the whole answer (seconds when streamed),
     * so one host must take as many calls at once as the apps make: a lower cap queues calls in
     * this process, not at the provider. Connections are opened only as calls need them.
     */
    static final int MAX_CONNECTIONS = 2048;
    static final int MAX_CONNECTIONS_PER_HOST = 512;

    private static CloseableHttpClient client(DefaultClientTlsStrategy tls) {
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                        .http1Config(Http1Config.custom().setMaxLineLength(MAX_HEADER_LINE)
                                .setMaxHeaderCount(MAX_HEADER_COUNT).build())
                        .build())
                .setDnsResolver(new RefusingResolver())
                .setTlsSocketStrategy(tls)
                .setMaxConnTotal(MAX_CONNECTIONS)
                .setMaxConnPerRoute(MAX_CONNECTIONS_PER_HOST)
                .build();
        return HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("Weft")
                .build();
    }

    private static SSLContext trustAll() {
        try {
            return SSLContexts.custom().loadTrustMaterial(TrustAllStrategy.INSTANCE).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context for unverified requests", e);
        }
    }

    /** The client never looks names up: every target carries its checked address. */
    private static final class RefusingResolver implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            throw new UnknownHostException("egress: " + host + " was not checked by the guard");
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            throw new UnknownHostException("egress: " + host + " was not checked by the guard");
        }
    }

    /** The whole exchange's time limit: aborts the request in flight when it passes. */
    final class Deadline {
        final Duration total;
        private final long end;
        private final AtomicBoolean expired = new AtomicBoolean();
        private volatile ScheduledFuture<?> timer;

        Deadline(Duration total) {
            this.total = total;
            this.end = System.nanoTime() + total.toNanos();
        }

        void watch(HttpUriRequestBase message) {
            cancel();
            long left = end - System.nanoTime();
            if (left <= 0) {
                expired.set(true);
                message.cancel();
                return;
            }
            timer = deadlines.schedule(() -> {
                expired.set(true);
                message.cancel();
            }, left, TimeUnit.NANOSECONDS);
        }

        Duration remaining() {
            return Duration.ofNanos(Math.max(1, end - System.nanoTime()));
        }

        boolean expired() {
            return expired.get() || System.nanoTime() - end > 0;
        }

        void cancel() {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    /** One request and its response, until closed. */
    private static final class Exchange implements AutoCloseable {
        final Target target;
        final HttpUriRequestBase message;
        final ClassicHttpResponse response;
        final Deadline deadline;

        Exchange(Target target, HttpUriRequestBase message, ClassicHttpResponse response, Deadline deadline) {
            this.target = target;
            this.message = message;
            this.response = response;
            this.deadline = deadline;
        }

        List<HttpHeader> headers() {
            List<HttpHeader> headers = new ArrayList<>();
            for (Header h : response.getHeaders()) {
                headers.add(new HttpHeader(h.getName(), h.getValue() == null ? "" : h.getValue()));
            }
            return headers;
        }

        byte[] readAll(long max) {
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                return new byte[0];
            }
            if (entity.getContentLength() > max && entity.getContentEncoding() == null) {
                throw tooLarge(max);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = null;
            try {
                in = entity.getContent();
                byte[] buffer = new byte[16384];
                long total = 0;
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    total += n;
                    if (total > max) {
                        // abort first: closing the stream of a live exchange would read the rest of the body
                        message.cancel();
                        throw tooLarge(max);
                    }
                    out.write(buffer, 0, n);
                }
                in.close();
            } catch (IOException e) {
                message.cancel();
                throw failure(e, deadline, target);
            }
            return out.toByteArray();
        }

        InputStream stream(long max) {
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                return InputStream.nullInputStream();
            }
            try {
                return new LimitedStream(entity.getContent(), max, deadline, target, message::cancel);
            } catch (IOException e) {
                throw failure(e, deadline, target);
            }
        }

        private EgressException tooLarge(long max) {
            return new EgressException(EgressException.TOO_LARGE, "the response from " + target.origin()
                    + " is larger than " + max + " bytes");
        }

        @Override
        public void close() {
            deadline.cancel();
            message.cancel();
            try {
                response.close();
            } catch (IOException e) {
                // the connection is discarded either way
            }
        }
    }

    /** A body stream that fails past its size limit or its deadline, with the reason as the cause. */
    private static final class LimitedStream extends InputStream {
        private final InputStream in;
        private final long max;
        private final Deadline deadline;
        private final Target target;
        private final Runnable abort;
        private long count;

        LimitedStream(InputStream in, long max, Deadline deadline, Target target, Runnable abort) {
            this.in = in;
            this.max = max;
            this.deadline = deadline;
            this.target = target;
            this.abort = abort;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                throw new IOException(e.getMessage(), failure(e, deadline, target));
            }
            if (n > 0) {
                count += n;
                if (count > max) {
                    abort.run();
                    throw new IOException("response too large", new EgressException(EgressException.TOO_LARGE,
                            "the response from " + target.origin() + " is larger than " + max + " bytes"));
                }
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
