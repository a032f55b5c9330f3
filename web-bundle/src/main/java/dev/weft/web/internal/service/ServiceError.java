package dev.weft.web.internal.service;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** A service API error in Dify's envelope {@code {code, message, status}}. */
public final class ServiceError extends WebApplicationException {

    private static final long serialVersionUID = 1L;

    private final String code;

    ServiceError(int status, String code, String message) {
        super(message, Response.status(status).type(MediaType.APPLICATION_JSON).entity(body(status, code, message))
                .build());
        this.code = code;
    }

    /** Dify's error code. */
    public String code() {
        return code;
    }

    private static Map<String, Object> body(int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("status", status);
        return body;
    }

    static ServiceError notFound(String message) {
        return new ServiceError(404, "not_found", message);
    }

    static ServiceError invalid(String message) {
        return new ServiceError(400, "invalid_param", message);
    }
}
