package dev.weft.web.internal.whiteboard;

import dev.weft.web.internal.errors.ErrorMapper;
import dev.weft.web.internal.errors.Problem;
import dev.weft.web.internal.errors.RequestIds;
import dev.weft.web.internal.json.Json;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Answers every request with 503 while the REST application is not built yet, in the error shape
 * of the API family asked, with a {@code Retry-After}.
 */
final class StartingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requestId = RequestIds.of(request);
        Problem problem = Problem.of(503, "starting", "Weft is starting; try again in a moment.", requestId);
        ErrorMapper.Shaped shaped = ErrorMapper.shape(problem, request.getRequestURI());
        response.setStatus(shaped.status());
        response.setHeader("Retry-After", "1");
        response.setHeader(RequestIds.HEADER, requestId);
        response.setContentType(shaped.mediaType());
        Json.mapper().writeValue(response.getOutputStream(), shaped.body());
    }
}
