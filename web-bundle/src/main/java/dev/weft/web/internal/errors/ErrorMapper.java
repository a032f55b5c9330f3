package dev.weft.web.internal.errors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.weft.api.core.ValidationException;
import dev.weft.api.core.Violation;
import dev.weft.api.core.WeftException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into the error shape of the API family the request went to: RFC 9457
 * problem+json on {@code /api} and {@code /console/api}, Dify's {@code {code, message, status}}
 * on {@code /v1}. Unexpected failures are logged with the request id and answered with that id
 * and nothing else: no stack frame, class name, SQL or path ever reaches a client.
 */
public final class ErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(Throwable failure) {
        String requestId = request == null ? RequestIds.fresh() : RequestIds.of(request);
        Problem problem = problemFor(failure, requestId);
        if (problem == null) {
            // a resource built its own error response
            return ((WebApplicationException) failure).getResponse();
        }
        Response response = render(problem, path());
        if (failure instanceof WebApplicationException web) {
            // keep what the failure says about retrying and alternatives: Retry-After, Allow, ...
            web.getResponse().getHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                    values.forEach(value -> response.getHeaders().add(name, value));
                }
            });
        }
        return response;
    }

    /** The problem describing a failure, or null when the failure already carries a response body. */
    static Problem problemFor(Throwable failure, String requestId) {
        Throwable jackson = failure instanceof RequestBodyInterceptor.RequestBodyException body ? body.jackson() : null;
        if (jackson instanceof StreamConstraintsException limit) {
            return Problem.of(400, "invalid_json", "The JSON document exceeds a limit: "
                    + limit.getOriginalMessage(), requestId);
        }
        if (jackson instanceof StreamReadException malformed) {
            return Problem.of(400, "invalid_json", "The request body is not valid JSON: "
                    + malformed.getOriginalMessage() + at(malformed.getLocation()), requestId);
        }
        if (jackson instanceof MismatchedInputException mismatch && mismatch.getPath().isEmpty()) {
            return Problem.of(400, "invalid_json", "The request body is not the JSON value expected: "
                    + firstLine(mismatch.getOriginalMessage()), requestId);
        }
        if (jackson instanceof DatabindException invalid) {
            String path = pointer((JsonMappingException) invalid);
            return Problem.of(422, ValidationException.CODE, "The request body is invalid at " + path, requestId)
                    .withErrors(List.of(new Violation(path, firstLine(invalid.getOriginalMessage()))));
        }
        if (failure instanceof ValidationException invalid) {
            return Problem.of(422, invalid.code(), invalid.getMessage(), requestId).withErrors(invalid.violations());
        }
        if (failure instanceof WebApplicationException web) {
            Response response = web.getResponse();
            if (response.hasEntity()) {
                return null;
            }
            return webProblem(web, response.getStatus(), requestId);
        }
        if (failure instanceof WeftException weft) {
            return Problem.of(statusOf(weft.code()), weft.code(), weft.getMessage(), requestId);
        }
        LOG.error("Request {} failed unexpectedly", requestId, failure);
        return Problem.of(500, "internal_error",
                "An unexpected error occurred. Quote request id " + requestId + " when reporting it.", requestId);
    }

    /**
     * The status of a Weft failure code: the codes that name a missing resource, a conflict, a body
     * too large or of a type not read have their own statuses; every other code is the client's
     * mistake (400). The list is explicit: a code such as {@code node_type_not_found} (a definition
     * naming an unknown node type) stays a bad request.
     */
    static int statusOf(String code) {
        return switch (code) {
            case "dataset_not_found", "document_not_found", "segment_not_found", "file_not_found" -> 404;
            case "dataset_name_duplicate", "document_indexing", "already_member", "last_owner" -> 409;
            case "already_setup" -> 403;
            case "file_too_large" -> 413;
            case "unsupported_file_type" -> 415;
            case "index_unavailable", "tokenizer_unavailable", "chunker_unavailable" -> 503;
            default -> 400;
        };
    }

    private static Problem webProblem(WebApplicationException web, int status, String requestId) {
        if (web instanceof NotFoundException) {
            String detail = web.getMessage() == null || web.getMessage().startsWith("HTTP 404")
                    ? "No such resource." : web.getMessage();
            return Problem.of(404, "not_found", detail, requestId);
        }
        if (web instanceof NotAllowedException) {
            return Problem.of(405, "method_not_allowed", "This resource does not accept that method.", requestId);
        }
        if (web instanceof NotSupportedException) {
            return Problem.of(415, "unsupported_media_type", "This resource does not accept that content type.",
                    requestId);
        }
        if (web instanceof NotAcceptableException) {
            return Problem.of(406, "not_acceptable", "This resource cannot answer in the media types accepted.",
                    requestId);
        }
        String code = switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 429 -> "too_many_requests";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
        String message = web.getMessage();
        String detail = message == null || message.startsWith("HTTP " + status) ? Problem.reason(status) + "." : message;
        if (status == 500) {
            LOG.error("Request {} failed with {}", requestId, status, web);
            detail = "An unexpected error occurred. Quote request id " + requestId + " when reporting it.";
        }
        return Problem.of(status, code, detail, requestId);
    }

    private String path() {
        return request == null ? "" : request.getRequestURI();
    }

    /** The problem in the shape of the API the request went to. */
    static Response render(Problem problem, String path) {
        Shaped shaped = shape(problem, path);
        return Response.status(shaped.status()).type(shaped.mediaType()).entity(shaped.body())
                .header(RequestIds.HEADER, problem.requestId()).build();
    }

    /**
     * The status, media type and body of a problem for the API family of a path: Dify's
     * {@code {code, message, status}} on {@code /v1}, problem+json everywhere else.
     */
    public static Shaped shape(Problem problem, String path) {
        if (path.equals("/v1/openai") || path.startsWith("/v1/openai/")) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("message", problem.detail());
            error.put("type", problem.status() == 429 ? "rate_limit_error"
                    : problem.status() >= 500 ? "server_error" : "invalid_request_error");
            error.put("param", null);
            error.put("code", problem.status() == 401 ? "invalid_api_key" : problem.code());
            return new Shaped(problem.status(), "application/json", Map.of("error", error));
        }
        if (path.equals("/v1") || path.startsWith("/v1/")) {
            if (problem.code().equals(ValidationException.CODE) || problem.code().equals("invalid_json")) {
                // Dify names every malformed or invalid request body invalid_param, with 400
                Map<String, Object> dify = new LinkedHashMap<>();
                dify.put("code", "invalid_param");
                dify.put("message", problem.detail());
                dify.put("status", 400);
                return new Shaped(400, "application/json", dify);
            }
            Map<String, Object> dify = new LinkedHashMap<>();
            dify.put("code", problem.code());
            dify.put("message", problem.detail());
            dify.put("status", problem.status());
            return new Shaped(problem.status(), "application/json", dify);
        }
        return new Shaped(problem.status(), "application/problem+json", problem);
    }

    /** An error response, ready to write. */
    public record Shaped(int status, String mediaType, Object body) {
    }

    private static String pointer(JsonMappingException invalid) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference step : invalid.getPath()) {
            pointer.append('/').append(step.getFieldName() != null ? step.getFieldName() : String.valueOf(step.getIndex()));
        }
        return pointer.isEmpty() ? "/" : pointer.toString();
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid value";
        }
        String line = message.lines().findFirst().orElse(message);
        // Jackson names Java classes in its messages; people need the JSON view
        return line.replaceAll("`[a-zA-Z0-9_$.]+\\.([A-Za-z0-9_$]+)`", "$1").replaceAll("\\bjava\\.lang\\.", "");
    }
}
