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

    private final transient ServletContainer container;
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
        try {
            container.service(request, response);
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
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public void destroy() {
        withJerseyLoader(() -> {
            container.destroy();
            return null;
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
