package dev.weft.web.internal.health;

import dev.weft.platform.registry.PluginRegistry;
import dev.weft.platform.store.WorkspaceRepository;
import dev.weft.web.internal.errors.Problem;
import dev.weft.web.internal.errors.RequestIds;
import dev.weft.web.internal.json.Json;
import dev.weft.web.internal.whiteboard.WebStatus;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

/**
 * {@code GET /api/health}: 200 {@code {"status":"UP","version":...}} once the store, the plug-in
 * registry and the REST application are all serving, 503 with the state of each until then.
 * Anonymous, and served apart from the REST application so that it answers while that is built.
 * Heavy, lazily loaded parts (local models, the code sandbox) are not checked.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=weft-health",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/api/health"
})
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final String version;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile WorkspaceRepository store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile PluginRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile WebStatus web;

    @Activate
    public HealthServlet(BundleContext context) {
        String configured = context.getProperty("weft.version");
        this.version = configured == null ? context.getBundle().getVersion().toString() : configured;
    }

    /** For tests: a servlet with a fixed version. */
    HealthServlet(String version) {
        this.version = version;
    }

    /** GET and HEAD only; anything else gets 405 in the API's error shape. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws jakarta.servlet.ServletException, IOException {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            super.service(request, response);
            return;
        }
        String requestId = RequestIds.of(request);
        Problem problem = Problem.of(405, "method_not_allowed", "This resource does not accept that method.", requestId);
        response.setStatus(405);
        response.setHeader("Allow", "GET, HEAD");
        response.setHeader(RequestIds.HEADER, requestId);
        response.setContentType(Problem.MEDIA_TYPE.toString());
        Json.mapper().writeValue(response.getOutputStream(), problem);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader(RequestIds.HEADER, RequestIds.of(request));
        response.setHeader("Cache-Control", "no-store");
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("store", store != null ? "UP" : "DOWN");
        checks.put("registry", registry != null ? "UP" : "DOWN");
        WebStatus status = web;
        checks.put("web", status != null && status.ready() ? "UP" : "DOWN");
        boolean up = !checks.containsValue("DOWN");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("version", version);
        if (!up) {
            body.put("checks", checks);
            response.setHeader("Retry-After", "1");
        }
        response.setStatus(up ? 200 : 503);
        response.setContentType("application/json");
        Json.mapper().writeValue(response.getOutputStream(), body);
    }
}
