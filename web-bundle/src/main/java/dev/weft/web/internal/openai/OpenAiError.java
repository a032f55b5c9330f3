package dev.weft.web.internal.openai;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** An error in OpenAI's shape: {@code {"error": {message, type, param, code}}}. */
final class OpenAiError extends WebApplicationException {

    private static final long serialVersionUID = 1L;

    OpenAiError(int status, String type, String code, String param, String message) {
        super(message, Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(body(type, code, param, message)).build());
    }

    static Map<String, Object> body(String type, String code, String param, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return Map.of("error", error);
    }

    static OpenAiError invalid(String param, String message) {
        return new OpenAiError(400, "invalid_request_error", null, param, message);
    }
}
