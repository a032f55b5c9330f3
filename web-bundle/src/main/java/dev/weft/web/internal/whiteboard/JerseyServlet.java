package dev.weft.web.internal.whiteboard;

import dev.weft.web.internal.errors.ErrorMapper;
import dev.weft.web.internal.errors.Problem;
import dev.weft.web.internal.errors.RequestIds;
import dev.weft.web.internal.json.Json;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One generation of the REST application: a Jersey container with a fixed set of resources and
 * extensions. Jersey finds its own services through the thread context class loader, so that
 * loader is Jersey's while it initialises and serves.
 */
final class JerseyServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ClassLoader JERSEY = ResourceConfig.class.getClassLoader();
    private static final Logger LOG = LoggerFactory.getLogger(JerseyServlet.class);

    /** How long a replaced generation waits for the requests it still serves before it shuts down. */
    static final long DRAIN_MILLIS = 120_000;

    private final transient ServletContainer container;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Throwable initFailure;

    JerseyServlet(ResourceConfig config) {
        this.container = withJerseyLoader(() -> new ServletContainer(config));
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(JERSEY);
        try {
            super.init(config);
            container.init(config);
        } catch (ServletException | RuntimeException | LinkageError e) {
            initFailure = e;
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Why the container could not start, or null. */
    Throwable initFailure() {
        return initFailure;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requestId = RequestIds.of(request);
        response.setHeader(RequestIds.HEADER, requestId);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(JERSEY);
        inFlight.incrementAndGet();
        dev.weft.web.internal.auth.Requests.begin(request);
        boolean async = false;
        try {
            container.service(request, response);
            if (request.isAsyncStarted()) {
                // a suspended or streamed response: it is in flight until it completes
                async = true;
                request.getAsyncContext().addListener(new jakarta.servlet.AsyncListener() {
                    @Override
                    public void onComplete(jakarta.servlet.AsyncEvent event) {
                        inFlight.decrementAndGet();
                    }

                    @Override
                    public void onTimeout(jakarta.servlet.AsyncEvent event) {
                    }

                    @Override
                    public void onError(jakarta.servlet.AsyncEvent event) {
                    }

                    @Override
                    public void onStartAsync(jakarta.servlet.AsyncEvent event) {
                    }
                });
            }
        } catch (ServletException | RuntimeException e) {
            // Jersey maps what resources throw; this is a failure of Jersey itself
            LOG.error("Request {} failed in the REST container", requestId, e);
            if (!response.isCommitted()) {
                response.reset();
                response.setHeader(RequestIds.HEADER, requestId);
                Problem problem = Problem.of(500, "internal_error",
                        "An unexpected error occurred. Quote request id " + requestId + " when reporting it.", requestId);
                ErrorMapper.Shaped shaped = ErrorMapper.shape(problem, request.getRequestURI());
                response.setStatus(shaped.status());
                response.setContentType(shaped.mediaType());
                Json.mapper().writeValue(response.getOutputStream(), shaped.body());
            }
        } finally {
            dev.weft.web.internal.auth.Requests.end();
            if (!async) {
                inFlight.decrementAndGet();
            }
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Shuts the container down once the requests it still serves are answered (at most
     * {@link #DRAIN_MILLIS}): a generation replaced by a newer one lets its requests finish, and
     * new requests already go to the newer one.
     */
    @Override
    public void destroy() {
        Thread.ofVirtual().name("weft-rest-drain").start(() -> {
            long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
            try {
                while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            withJerseyLoader(() -> {
                container.destroy();
                return null;
            });
        });
    }

    private static <T> T withJerseyLoader(java.util.function.Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(JERSEY);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
