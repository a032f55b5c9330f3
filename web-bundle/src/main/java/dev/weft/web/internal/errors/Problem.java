package dev.weft.web.internal.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.weft.api.core.Violation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem document, as Weft's {@code /api} and {@code /console/api} write errors.
 *
 * @param type a URI naming the kind of problem ({@code urn:weft:problem:<code>})
 * @param title the HTTP reason phrase
 * @param status the HTTP status
 * @param detail what went wrong in this occurrence, for people
 * @param code a stable snake_case code for programs
 * @param requestId the id of the request, as in the {@code X-Request-Id} header and the log
 * @param errors for invalid input, every violation found
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String requestId,
        List<Violation> errors) {

    /** The media type of problem documents. */
    public static final MediaType MEDIA_TYPE = new MediaType("application", "problem+json");

    /** A problem with a status, a code and a detail. */
    public static Problem of(int status, String code, String detail, String requestId) {
        return new Problem("urn:weft:problem:" + code, reason(status), status, detail, code, requestId, null);
    }

    /** This problem listing every violation. */
    public Problem withErrors(List<Violation> violations) {
        return new Problem(type, title, status, detail, code, requestId, List.copyOf(violations));
    }

    /** The HTTP response carrying this problem. */
    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }

    static String reason(int status) {
        Response.StatusType known = Response.Status.fromStatusCode(status);
        if (known != null) {
            return known.getReasonPhrase();
        }
        return switch (status) {
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            default -> status >= 500 ? "Server Error" : "Client Error";
        };
    }
}
